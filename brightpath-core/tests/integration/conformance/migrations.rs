//! The schema's migrations, on each backend: applied once, reported, and an
//! applied migration that changed since is refused rather than run again.

use super::*;

pub(crate) async fn migrations_apply_once_and_report_status(store: Store) {
    let again = store.migrate().await.expect("migrate twice");
    assert!(again.iter().all(|m| m.applied_at.is_some()));
    assert_eq!(again.len(), brightpath_core::store::migrations().len());
}

pub(crate) async fn an_edited_applied_migration_is_refused(store: Store) {
    // What the database recorded no longer matches the migration this build
    // embeds: as if someone edited 0002 after it was applied.
    store
        .raw_execute("UPDATE brightpath_migrations SET checksum = 'edited' WHERE version = 2")
        .await
        .expect("tamper");
    let err = store.migrate().await.expect_err("an edited migration");
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    let text = err.to_string();
    assert!(text.contains("changed after it was applied"), "{text}");
    assert!(
        text.contains("migration 2 (plans)"),
        "names the migration: {text}"
    );
    // Nothing else moved: every migration is still recorded as applied.
    let status = store.migration_status().await.expect("status");
    assert!(status.iter().all(|m| m.applied_at.is_some()), "{status:?}");
}
