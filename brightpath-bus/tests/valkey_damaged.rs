//! Valkey only: a damaged job record (its key overwritten by hand with a
//! string) does not stop acknowledgements, which ride along with fetches.
//! Needs BRIGHTPATH_TEST_VALKEY_URL (skipped without it, failing under CI).

mod common;

use std::time::Duration;

use brightpath_bus::{Bus, JobSpec, Queue};
use serde_json::json;

#[tokio::test]
async fn a_damaged_record_is_still_acknowledged() {
    let Some(url) = common::valkey_url() else {
        return;
    };
    let config = common::test_config(&url);
    let prefix = config.prefix.clone();
    let bus = Bus::connect(config).await.expect("connect");
    let qs = [Queue::default_queue()];
    let e = bus
        .enqueue(JobSpec::new(Queue::default_queue(), "x", json!(1)))
        .await
        .expect("enqueue");
    let got = bus
        .reserve(&qs, 1, Duration::ZERO, "c")
        .await
        .expect("reserve");
    assert_eq!(got.len(), 1);
    let client = redis::Client::open(url.replacen("valkey://", "redis://", 1)).expect("client");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("conn");
    let _: () = redis::cmd("SET")
        .arg(format!("{prefix}job:{}", e.id))
        .arg("not a hash")
        .query_async(&mut conn)
        .await
        .expect("SET");
    bus.complete(&got[0].lease, json!(null))
        .await
        .expect("a damaged record does not fail the acknowledgement");
    let depth = bus.depths(&qs).await.expect("depths");
    assert_eq!(depth[0].running, 0, "the entry was acknowledged: {depth:?}");
    bus.enqueue(JobSpec::new(Queue::default_queue(), "x", json!(2)))
        .await
        .expect("enqueue");
    let next = bus
        .reserve(&qs, 1, Duration::ZERO, "c")
        .await
        .expect("fetching goes on");
    assert_eq!(next.len(), 1);
}
