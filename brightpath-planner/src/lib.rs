//! The weekly planner.
