//! Valkey only: damaged job records, and a server that forgot its scripts. One overwritten by hand with a string
//! does not stop acknowledgements, which ride along with fetches; one with a
//! byte that is not UTF-8 is still handed out, the byte replaced.
//! Needs BRIGHTPATH_TEST_VALKEY_URL (skipped without it, failing under CI).

use crate::common;

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
    // The entry carries the record a worker gets: put the byte there, in an
    // entry like the one enqueue wrote.
    let key = format!("{prefix}job:{}", e.id);
    let stream = format!("{prefix}q:default:normal");
    let entry: String = redis::cmd("HGET")
        .arg(&key)
        .arg("entry")
        .query_async(&mut conn)
        .await
        .expect("HGET");
    let _: () = redis::cmd("XDEL")
        .arg(&stream)
        .arg(&entry)
        .query_async(&mut conn)
        .await
        .expect("XDEL");
    let id = e.id.to_string();
    let fields: [(&str, &[u8]); 6] = [
        ("id", id.as_bytes()),
        ("kind", b"x\xff"),
        ("payload", b"1"),
        ("att", b"0"),
        ("max", b"5"),
        ("at", b"0"),
    ];
    let mut add = redis::cmd("XADD");
    add.arg(&stream).arg("*");
    for (k, v) in fields {
        add.arg(k).arg(v);
    }
    let _: String = add.query_async(&mut conn).await.expect("XADD");
    let got = common::take_now(&bus, "c").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].job.kind, "x\u{fffd}");
}

/// A job enqueued by the earlier layout (a stream entry with only the id, the
/// record on its hash alone) still runs, with its attempts counted on the hash.
#[tokio::test]
async fn a_job_of_the_earlier_layout_still_runs() {
    let Some((bus, prefix, mut conn)) = setup().await else {
        return;
    };
    let id = uuid::Uuid::new_v4().to_string();
    let key = format!("{prefix}job:{id}");
    let _: () = redis::cmd("HSET")
        .arg(&key)
        .arg(&[
            ("id", id.as_str()),
            ("queue", "default"),
            ("kind", "old"),
            ("payload", "{\"n\":7}"),
            ("priority", "normal"),
            ("status", "queued"),
            ("attempts", "0"),
            ("max_attempts", "3"),
            ("created_at", "1"),
            ("updated_at", "1"),
        ])
        .query_async(&mut conn)
        .await
        .expect("HSET");
    let _: String = redis::cmd("XADD")
        .arg(format!("{prefix}q:default:normal"))
        .arg("*")
        .arg("id")
        .arg(&id)
        .query_async(&mut conn)
        .await
        .expect("XADD");
    let got = common::take_now(&bus, "c").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].job.kind, "old");
    assert_eq!(got[0].job.payload, json!({"n": 7}));
    assert_eq!(got[0].job.attempts, 1);
    let uid = got[0].job.id;
    let rec = bus.get(uid).await.expect("get").expect("record");
    assert_eq!(rec.status, brightpath_bus::Status::Running);
    assert_eq!(rec.worker.as_deref(), Some("c"));
    // Handed back, it comes again in the new layout, its count unchanged.
    bus.release(&got[0].lease).await.expect("release");
    let again = common::take_now(&bus, "c").await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].job.attempts, 1);
    assert_eq!(again[0].job.payload, json!({"n": 7}));
    bus.complete(&again[0].lease, json!("done"))
        .await
        .expect("complete");
    let rec = bus.get(uid).await.expect("get").expect("record");
    assert_eq!(rec.status, brightpath_bus::Status::Succeeded);
    assert_eq!(rec.attempts, 1);
}

/// Acknowledgements ride along with the next fetch; when the server has
/// forgotten the script (restarted or flushed), they are sent again the way
/// that loads it, not failed.
#[tokio::test]
async fn acknowledgements_survive_a_forgotten_script() {
    let Some((bus, _prefix, mut conn)) = setup().await else {
        return;
    };
    let (_, got) = enqueue_and_take(&bus, 1).await;
    assert_eq!(got.len(), 1);
    let _: () = redis::cmd("SCRIPT")
        .arg("FLUSH")
        .query_async(&mut conn)
        .await
        .expect("SCRIPT FLUSH");
    let acking = {
        let bus = bus.clone();
        let lease = got[0].lease.clone();
        tokio::spawn(async move { bus.complete(&lease, json!(null)).await })
    };
    // Let the acknowledgement queue up, then fetch: it rides along.
    tokio::task::yield_now().await;
    let (_, next) = enqueue_and_take(&bus, 2).await;
    assert_eq!(next.len(), 1);
    acking
        .await
        .expect("join")
        .expect("the acknowledgement is stored after all");
    let rec = bus.get(got[0].job.id).await.expect("get").expect("record");
    assert_eq!(rec.status, brightpath_bus::Status::Succeeded);
}
