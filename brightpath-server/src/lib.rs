//! BrightPath's server side: the HTTP API (`brightpath serve`), and the
//! background worker and its jobs.

pub mod backups;
pub mod http;
pub mod jobs;
pub mod learning;
pub mod notify;
pub mod objects;
pub mod plan_metrics;
pub mod roster_import;
pub mod telemetry;
pub mod tracking;
pub mod worker;
