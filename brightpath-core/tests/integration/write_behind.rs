//! The import's write-behind queue (`store::Behind`): statements run in the
//! order queued, a read sees the writes queued before it, and the first
//! failed statement stops the queue, fails the next read and `finish`, and
//! nothing of the transaction is kept.

use brightpath_core::Store;
use brightpath_core::model::{Coop, new_id};
use brightpath_core::services::coop;
use brightpath_core::store::{Behind, Fut, Tx};

fn named(name: &str) -> Coop {
    Coop {
        id: new_id(),
        name: name.to_string(),
        time_zone: "America/Chicago".to_string(),
    }
}

use crate::backends;

async fn coops(store: &Store) -> usize {
    let mut tx = store.read().await.expect("tx");
    tx.coops().await.expect("co-ops").len()
}

async fn a_read_sees_the_writes_before_it_and_finish_gives_the_tx_back(store: Store) {
    let db = Behind::start(store.tx().await.expect("tx"));
    for name in ["Alpha", "Beta"] {
        db.write(move |tx: &mut Tx| -> Fut<'_, _> {
            Box::pin(async move { tx.insert_coop(&named(name)).await })
        })
        .await
        .expect("queued");
    }
    let seen = db
        .read(|tx: &mut Tx| -> Fut<'_, _> {
            Box::pin(async move { tx.coops().await.map(|c| c.len()) })
        })
        .await
        .expect("read");
    assert_eq!(seen, 2);
    db.finish()
        .await
        .expect("finish")
        .commit()
        .await
        .expect("commit");
    assert_eq!(coops(&store).await, 2);
}

async fn the_first_failure_stops_the_queue_and_nothing_is_kept(store: Store) {
    coop::create(&store, "Kept", "America/Chicago")
        .await
        .expect("co-op");
    let db = Behind::start(store.tx().await.expect("tx"));
    let gamma = named("Gamma");
    // The same co-op twice: the second is a primary-key violation.
    for c in [gamma.clone(), gamma, named("Delta")] {
        db.write(move |tx: &mut Tx| -> Fut<'_, _> {
            Box::pin(async move { tx.insert_coop(&c).await })
        })
        .await
        .ok();
    }
    let read = db
        .read(|tx: &mut Tx| -> Fut<'_, _> {
            Box::pin(async move { tx.coops().await.map(|c| c.len()) })
        })
        .await;
    assert!(
        read.is_err(),
        "the read after a failed write fails: {read:?}"
    );
    assert!(db.finish().await.is_err());
    assert_eq!(coops(&store).await, 1, "only the co-op made before");
}

backends::conformance!(
    a_read_sees_the_writes_before_it_and_finish_gives_the_tx_back,
    the_first_failure_stops_the_queue_and_nothing_is_kept,
);
