//! Services: the operations every surface (CLI, TUI, HTTP, worker) calls. Each
//! validates its input, runs in one transaction, and returns typed results; none
//! prints or reads the clock (callers pass "today").

pub mod curriculum;
pub mod demo;
pub mod planning;
pub mod school;
pub mod view;

pub use school::FamilyRef;
