//! Services: the operations every surface (CLI, TUI, HTTP, worker) calls. Each
//! validates its input, runs in one transaction, and returns typed results; none
//! prints or reads the clock (callers pass "today").

pub mod backup;
pub mod coop;
pub mod curriculum;
pub mod demo;
#[cfg(test)]
pub(crate) mod fixture;
pub mod history;
pub mod ics;
pub mod learned;
pub mod lists;
pub mod pacing;
pub mod planning;
pub mod progress;
pub mod records;
pub mod roster;
pub mod school;
pub mod view;
pub mod web;

pub use school::FamilyRef;
