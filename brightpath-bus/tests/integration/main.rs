//! brightpath-bus's integration tests as one test binary: each file here is a
//! module. One binary links the workspace once, where one per file cost CI
//! gigabytes of disk and minutes of linking. Run one file's tests with
//! `cargo test -p brightpath-bus --test integration <file>::`.

mod common;

mod chaos;
mod conformance;
mod valkey_damaged;
mod valkey_restart;
