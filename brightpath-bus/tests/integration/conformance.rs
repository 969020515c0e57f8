//! The one bus conformance suite (tests/integration/common/suite.rs), run on each backend.
//! Valkey cases need BRIGHTPATH_TEST_VALKEY_URL (skipped without it, failing under CI).

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test]
                async fn $case() {
                    crate::common::suite::$case(crate::common::memory_bus()).await;
                }
            )*
        }
        mod valkey {
            $(
                #[tokio::test]
                async fn $case() {
                    let Some(bus) = crate::common::valkey_bus().await else { return };
                    crate::common::suite::$case(bus).await;
                }
            )*
        }
    };
}

conformance!(
    roundtrip,
    idempotency,
    priority_first,
    surplus_reads_keep_their_order,
    a_running_job_is_not_retried,
    queues_are_separate,
    retry_then_dead_then_operator_retry,
    permanent_failure_is_dead_at_once,
    visibility_timeout_redelivers,
    lost_too_often_goes_dead,
    heartbeat_and_release,
    delayed_jobs_wait,
    list_show_purge,
    depths,
    scheduler_enqueues_each_occurrence_once,
    worker_runs_jobs_and_retries,
    worker_shutdown_hands_back_running_jobs,
    worker_holds_no_more_than_concurrency,
    takeover_looks_past_live_jobs,
    empty_bus_lists_nothing,
    dead_lists_old_dead_letters,
    heartbeat_is_on_the_record,
    enqueue_many_stores_all,
    one_group_runs_one_at_a_time,
    groups_are_exclusive_across_workers,
    a_job_waiting_for_its_group_holds_no_slot,
    group_lease_follows_heartbeats_and_takeover,
    concurrent_completes_all_land,
    started_record_keeps_every_character,
);
