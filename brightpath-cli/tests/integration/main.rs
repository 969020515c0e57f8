//! brightpath-cli's integration tests as one test binary: each file here is a
//! module. One binary links the workspace once, where one per file cost CI
//! gigabytes of disk and minutes of linking. Run one file's tests with
//! `cargo test -p brightpath-cli --test integration <file>::`.

#[path = "../../../brightpath-core/tests/integration/support/backends.rs"]
#[allow(unused_macros, unused_imports)]
mod backends;
mod common;

mod api_schema;
mod backup_cli;
mod cli;
mod demo;
mod errors;
mod insights_cli;
mod jobs_cli;
mod layout;
mod records_cli;
mod roster_cli;
mod serve;
mod solve;
mod train_after_marks;
mod two_parents;
mod web_browser;
mod worker;
