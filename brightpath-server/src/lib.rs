//! BrightPath's server side: the background worker and its jobs (the HTTP API
//! and web app come next).

pub mod jobs;
pub mod notify;
pub mod worker;
