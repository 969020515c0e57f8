//! Valkey only: damaged job records. One overwritten by hand with a string
//! does not stop acknowledgements, which ride along with fetches; one with a
//! byte that is not UTF-8 is still handed out, the byte replaced.
//! Needs BRIGHTPATH_TEST_VALKEY_URL (skipped without it, failing under CI).

mod common;

use std::time::Duration;

use brightpath_bus::{Bus, Delivery, Enqueued, JobSpec, Queue};
use serde_json::json;

/// A bus on the test server, its key prefix and a raw connection to damage
/// its records with (None: no test server, skipped).
async fn setup() -> Option<(Bus, String, redis::aio::MultiplexedConnection)> {
    let url = common::valkey_url()?;
    let config = common::test_config(&url);
    let prefix = config.prefix.clone();
    let bus = Bus::connect(config).await.expect("connect");
    let client = redis::Client::open(url.replacen("valkey://", "redis://", 1)).expect("client");
    let conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("conn");
    Some((bus, prefix, conn))
}

/// Enqueue one job on `default` and take what there is, as consumer `c`.
async fn enqueue_and_take(bus: &Bus, n: u32) -> (Enqueued, Vec<Delivery>) {
    let e = bus
        .enqueue(JobSpec::new(Queue::default_queue(), "x", json!(n)))
        .await
        .expect("enqueue");
    let got = bus
        .reserve(&[Queue::default_queue()], 1, Duration::ZERO, "c")
        .await
        .expect("reserve");
    (e, got)
}

#[tokio::test]
async fn a_damaged_record_is_still_acknowledged() {
    let Some((bus, prefix, mut conn)) = setup().await else {
        return;
    };
    let (e, got) = enqueue_and_take(&bus, 1).await;
    assert_eq!(got.len(), 1);
    let _: () = redis::cmd("SET")
        .arg(format!("{prefix}job:{}", e.id))
        .arg("not a hash")
        .query_async(&mut conn)
        .await
        .expect("SET");
    bus.complete(&got[0].lease, json!(null))
        .await
        .expect("a damaged record does not fail the acknowledgement");
    let depth = bus.depths(&[Queue::default_queue()]).await.expect("depths");
    assert_eq!(depth[0].running, 0, "the entry was acknowledged: {depth:?}");
    let (_, next) = enqueue_and_take(&bus, 2).await;
    assert_eq!(next.len(), 1, "fetching goes on");
}

#[tokio::test]
async fn a_record_with_a_stray_byte_is_still_handed_out() {
    let Some((bus, prefix, mut conn)) = setup().await else {
        return;
    };
    let e = bus
        .enqueue(JobSpec::new(Queue::default_queue(), "x", json!(1)))
        .await
        .expect("enqueue");
    let _: () = redis::cmd("HSET")
        .arg(format!("{prefix}job:{}", e.id))
        .arg("kind")
        .arg(b"x\xff".as_slice())
        .query_async(&mut conn)
        .await
        .expect("HSET");
    let got = common::take_now(&bus, "c").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].job.kind, "x\u{fffd}");
}
