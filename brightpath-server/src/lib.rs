//! BrightPath's server side: the HTTP API (`brightpath serve`), and the
//! background worker and its jobs.

pub mod http;
pub mod jobs;
pub mod learning;
pub mod notify;
pub mod tracking;
pub mod worker;
