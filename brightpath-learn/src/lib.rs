//! Learning from feedback (issue 15): how long each child's lessons really
//! take, and when each child is most engaged, learned from marked sessions.
//!
//! Pure: sessions, students and courses in; models, metrics and insights
//! out. No I/O, no clock, no randomness (the fits are deterministic).
//!
//! # Rows and features
//!
//! One row per (session, child) of every done or partly done session:
//! child, course, subject, planned minutes, hour of the start, part of the day
//! ([`Daypart`]: morning before 10:00, midday 10:00-11:59, afternoon from
//! 12:00), weekday, position in the child's day (among the lessons done that
//! day), whether the lesson is shared with other children, and the child's
//! recent difficulty in the course (mean of the last five marks before that
//! day). Categorical features are
//! one-hot encoded with the levels seen in training, kept in the model's
//! [`Encoder`]: a category never seen encodes as zeros.
//!
//! # Cleaning rules (bad data, issue item 7)
//!
//! - a length of 0, over 600 minutes or over 3x the planned one is a typo:
//!   the length is dropped (the engagement of that lesson is kept);
//! - engagement outside 1-5 is dropped; difficulty outside 1-5 is ignored;
//! - skipped or missed sessions carrying feedback are ignored;
//! - a lesson marked done with no feedback (actual = planned and no
//!   engagement: marking done fills in the planned minutes) has an unknown
//!   length, not "as planned";
//! - a partly done lesson's length says nothing of a whole lesson: dropped
//!   (its engagement is kept).
//!
//! [`Cleaning`] counts each.
//!
//! # Models
//!
//! - **Lengths**: ridge regression (linfa's least squares with the penalty
//!   as extra rows, lambda 1, intercept not penalised) of
//!   log(actual / planned); predicts planned x exp(prediction).
//! - **Best hours**: the same regression of engagement (1-5) on child,
//!   subject, child x subject, child x part of the day, hour, weekday,
//!   position, planned minutes and recent difficulty.
//!
//! # Honest evaluation and selection
//!
//! Time-based split: the latest quarter of the weeks with feedback is held
//! out. Baselines: the planned minutes and the child x course running mean
//! (every length known before the lesson's day) for lengths; the child's mean
//! engagement for engagement. Metrics: MAE and RMSE, and Spearman's rank
//! correlation. A model ships only if its MAE beats the best baseline's on
//! the held-out weeks and it had at least three weeks to learn from;
//! otherwise the baseline does. See `docs/learning.md` for measured figures.

mod features;
mod insights;
mod learned;
mod model;
#[cfg(test)]
mod tests;

pub use features::{
    Cleaning, Daypart, ENGAGEMENT_FEATURES, Encoder, Feature, LENGTH_FEATURES, MAX_MINUTES,
    MAX_RATIO, Row, absurd, rows,
};
pub use insights::{
    BestHours, CourseLength, DaypartLength, Insights, MIN_LESSONS, PartEngagement, learn,
};
pub use learned::{train, window_of};
pub use model::{
    Choice, Evaluation, LAMBDA, MIN_TRAIN_WEEKS, Metrics, Model, TEST_SHARE, Target, evaluate,
    ridge, spearman, split_week,
};

use brightpath_core::model::{ChildRating, Course, Session, Student};

/// Rows from a family's sessions (with the children's own ratings of group
/// lessons), then [`learn`].
pub fn insights(
    sessions: &[Session],
    ratings: &[ChildRating],
    students: &[Student],
    courses: &[Course],
) -> Insights {
    let (rows, cleaning) = rows(sessions, ratings, students, courses);
    learn(&rows, cleaning)
}
