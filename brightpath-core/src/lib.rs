//! BrightPath's core: the domain of a homeschool (families, students, school
//! years, courses, curricula, fixed events), the store that keeps it on SQLite
//! or PostgreSQL, configuration, and the services every surface calls.
//!
//! Pure parts (calendar, planner, pacing) take their inputs, including "today",
//! as arguments; services load from the [`store::Store`], call them, and save.

pub mod calendar;
pub mod config;
pub mod error;
pub mod model;
pub mod services;
pub mod store;
#[cfg(feature = "test-support")]
pub mod testing;

/// The weekly planner (request, score, solver), pure and deterministic.
pub use brightpath_planner as planner;

pub use error::{Error, ErrorKind, Remedy, Result};
pub use store::Store;
