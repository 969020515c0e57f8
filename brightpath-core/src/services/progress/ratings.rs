//! Each child's own rating of a group lesson. A session of several children
//! is marked once (its status is the session's), but each child may be rated
//! apart: minutes, engagement, difficulty and a note of their own, kept
//! beside the session (`child_ratings`). The session's own figures stay the
//! rating of a single-child lesson and the default for every child; a
//! figure given for the whole session replaces the children's own.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::{ChildRating, Id, Session};
use crate::services::history::RatingBefore;
use crate::store::Tx;

use super::DoneInput;

/// One child's own rating of a group lesson, as given.
#[derive(Debug, Clone, Default)]
pub struct RatingInput {
    /// The child, by name or id; must be one of the lesson's.
    pub student: String,
    /// Minutes it took this child, 1 to 1440.
    pub actual_minutes: Option<u32>,
    /// 1 (checked out) to 5 (absorbed).
    pub engagement: Option<u8>,
    /// 1 (too easy) to 5 (too hard).
    pub difficulty: Option<u8>,
    pub note: Option<String>,
}

pub(super) fn check_scale(field: &str, v: Option<u8>) -> Result<()> {
    if v.is_some_and(|v| !(1..=5).contains(&v)) {
        return Err(Error::invalid(field, "must be between 1 and 5"));
    }
    Ok(())
}

pub(super) fn check_minutes(field: &str, v: Option<u32>) -> Result<()> {
    if v.is_some_and(|m| m == 0 || m > 1440) {
        return Err(
            Error::invalid(field, "must be between 1 and 1440").with_hint(
                "a lesson not done is skipped; for part of one, mark it --partial with the minutes it took",
            ),
        );
    }
    Ok(())
}

/// Checks every figure of a mark before anything is read or written.
pub(super) fn check_input(input: &DoneInput) -> Result<()> {
    check_scale("engagement", input.engagement)?;
    check_scale("difficulty", input.difficulty)?;
    check_minutes("minutes", input.actual_minutes)?;
    for (i, r) in input.ratings.iter().enumerate() {
        if r.student.trim().is_empty() {
            return Err(Error::invalid(
                format!("ratings[{i}].student"),
                "name the child this rating is for",
            ));
        }
        check_scale(&format!("ratings[{i}].engagement"), r.engagement)?;
        check_scale(&format!("ratings[{i}].difficulty"), r.difficulty)?;
        check_minutes(&format!("ratings[{i}].minutes"), r.actual_minutes)?;
    }
    Ok(())
}

/// The children rated, by id: each must be in every session marked, and
/// rated once.
pub(super) async fn resolve<'a>(
    tx: &mut Tx,
    family: &str,
    ratings: &'a [RatingInput],
    sessions: &[Session],
) -> Result<HashMap<Id, &'a RatingInput>> {
    let mut out = HashMap::new();
    for (i, r) in ratings.iter().enumerate() {
        let field = format!("ratings[{i}].student");
        let child = match tx.find_student(family, r.student.trim()).await {
            Ok(c) => c,
            Err(Error::NotFound { .. }) => {
                return Err(Error::invalid(
                    field,
                    format!("no child {:?} in this family", r.student),
                ));
            }
            Err(e) => return Err(e),
        };
        if let Some(s) = sessions.iter().find(|s| !s.student_ids.contains(&child.id)) {
            return Err(Error::invalid(
                field,
                format!("{} is not in the lesson {}", child.name, s.id),
            )
            .with_hint("rate only the children of the lesson"));
        }
        if out.insert(child.id, r).is_some() {
            return Err(Error::invalid(
                field,
                format!("{} is rated twice", child.name),
            ));
        }
    }
    Ok(out)
}

/// Applies a mark's figures to one session `n` (already its new state) and
/// its children's own ratings `before` (as stored); writes the ratings that
/// change and returns them as they were, for the undo.
pub(super) async fn apply(
    tx: &mut Tx,
    family: &str,
    n: &mut Session,
    input: &DoneInput,
    raters: &HashMap<Id, &RatingInput>,
    before: &[ChildRating],
) -> Result<Vec<RatingBefore>> {
    if let [only] = n.student_ids.as_slice() {
        // A single child's rating is the session's own.
        if let Some(r) = raters.get(only) {
            n.actual_minutes = r.actual_minutes.or(n.actual_minutes);
            n.engagement = r.engagement.or(n.engagement);
            n.difficulty = r.difficulty.or(n.difficulty);
            n.note = r.note.clone().or(n.note.take());
        }
        return Ok(Vec::new());
    }
    let mut changed = Vec::new();
    for child in n.student_ids.clone() {
        let old = before
            .iter()
            .find(|r| r.session_id == n.id && r.student_id == child);
        let mut new = old.cloned().unwrap_or_else(|| ChildRating {
            session_id: n.id.clone(),
            student_id: child.clone(),
            ..Default::default()
        });
        // A figure for the whole lesson is every child's.
        if input.actual_minutes.is_some() {
            new.actual_minutes = None;
        }
        if input.engagement.is_some() {
            new.engagement = None;
        }
        if input.difficulty.is_some() {
            new.difficulty = None;
        }
        if input.note.is_some() {
            new.note = None;
        }
        if let Some(r) = raters.get(&child) {
            new.actual_minutes = r.actual_minutes.or(new.actual_minutes);
            new.engagement = r.engagement.or(new.engagement);
            new.difficulty = r.difficulty.or(new.difficulty);
            new.note = r.note.clone().or(new.note);
        }
        let new = (!new.is_empty()).then_some(new);
        if new.as_ref() != old {
            tx.set_rating(family, &n.id, &child, new.as_ref()).await?;
            changed.push(RatingBefore {
                session_id: n.id.clone(),
                student_id: child,
                rating: old.cloned(),
            });
        }
    }
    Ok(changed)
}
