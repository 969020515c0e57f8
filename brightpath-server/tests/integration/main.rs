//! brightpath-server's integration tests as one test binary: each file here is a
//! module. One binary links the workspace once, where one per file cost CI
//! gigabytes of disk and minutes of linking. Run one file's tests with
//! `cargo test -p brightpath-server --test integration <file>::`.
//! `tests/sentry.rs` stays a binary of its own: Sentry's client is process-wide.

#[path = "support/http.rs"]
#[allow(unused_macros, unused_imports)]
mod http;

mod backups;
mod ml_train;
mod notify;
mod oidc;
mod web;
mod webhook_tls;
mod weekly_plan;
