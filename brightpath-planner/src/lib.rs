//! BrightPath's weekly planner: request validation, the referee's scoring, and the
//! solver. Pure: no I/O, no global state; the solver reads the clock only for an
//! optional deadline.

mod day;
mod json;
pub mod plan;
mod raw;
pub mod request;
pub mod score;
pub mod solve;

pub use json::{Value as JsonValue, parse as parse_json};
pub use plan::{Cause, Plan, Score, Session, Unscheduled};
pub use raw::{RawFixed, RawLesson, RawRequest, RawStudent, RawTeacher, RawWeights, RawWindow};
pub use request::{Day, Request, RequestError, parse_request};
pub use score::{check, score};
pub use solve::{Effort, SolveError, SolveOptions, solve};
