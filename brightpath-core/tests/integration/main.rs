//! brightpath-core's integration tests as one test binary: each file here is a
//! module. One binary links the workspace once, where one per file cost CI
//! gigabytes of disk and minutes of linking. Run one file's tests with
//! `cargo test -p brightpath-core --test integration <file>::`.

#[path = "support/backends.rs"]
#[allow(unused_macros, unused_imports)]
mod backends;

mod backup;
mod conformance;
mod ics_strict;
mod parsers_prop;
mod roster;
mod roster_prop;
mod roster_uploads;
mod write_behind;
