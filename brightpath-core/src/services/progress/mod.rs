//! What happens to a plan during the week: sessions done, partly done,
//! skipped, moved or pinned; days lost to sickness or holidays; catching up.
//! Every change runs in one transaction, is recorded in the history with who
//! and when, and can be undone. Lessons roll forward: after every change the
//! curriculum is re-bound so that each course's planned sessions, in time
//! order, carry its next due lessons: nothing lost, nothing doubled.

use std::collections::HashSet;

use jiff::civil::Date;
use serde::Serialize;

use super::history::{self, Undo};
use super::planning::{self, SchoolData};
use crate::calendar::{Clock, Weekday, add_days, marked_at, monday_of};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{Store, Tx};

mod days;
mod placement;
mod ratings;
mod roll;
mod rules;

pub use days::*;
pub use placement::*;
pub use ratings::RatingInput;
pub use roll::*;
pub use rules::*;

/// What a change did, for people.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ChangeSummary {
    pub message: String,
    pub sessions: Vec<Id>,
}

/// How a session went.
#[derive(Debug, Clone, Default)]
pub struct DoneInput {
    /// Minutes it really took, 1 to 1440. None leaves them unrecorded (a
    /// mark with no minutes says nothing about how long it took), or as
    /// they were when the session is marked again.
    pub actual_minutes: Option<u32>,
    pub grade: Option<String>,
    pub note: Option<String>,
    /// 1 (checked out) to 5 (absorbed).
    pub engagement: Option<u8>,
    /// 1 (too easy) to 5 (too hard).
    pub difficulty: Option<u8>,
    /// Only part of the lesson was done; it stays due.
    pub partial: bool,
    /// Children's own ratings of a group lesson (of a single-child lesson:
    /// the session's figures). Each child must be in every session marked.
    pub ratings: Vec<RatingInput>,
}

/// Which sessions a bulk command touches.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub ids: Vec<String>,
    pub date: Option<Date>,
    /// Any date in the week.
    pub week: Option<Date>,
    /// A student by name or id; none: everyone.
    pub student: Option<String>,
    /// The version the caller read of sessions named by id (`(id, version)`):
    /// if one changed since, the action is refused as a conflict.
    pub versions: Vec<(String, i64)>,
}

impl Selector {
    /// One session by id (or unique prefix), as last read at `version`.
    pub fn one(id: &str, version: Option<i64>) -> Selector {
        Selector {
            ids: vec![id.to_string()],
            versions: version.map(|v| (id.to_string(), v)).into_iter().collect(),
            ..Default::default()
        }
    }

    /// Sessions by id, each as last read at its version.
    pub fn read(sessions: &[(String, i64)]) -> Selector {
        Selector {
            ids: sessions.iter().map(|(id, _)| id.clone()).collect(),
            versions: sessions.to_vec(),
            ..Default::default()
        }
    }
}

/// Resolves a selector to sessions (ids may be unique prefixes). Sessions
/// named by id are taken whatever their status (checked against the version
/// read, when given); of a bulk selection (a day, a week) only those still
/// open, so a bulk mark never overwrites a skip, a partial lesson or a mark.
pub async fn select(tx: &mut Tx, family: &Family, sel: &Selector) -> Result<Vec<Session>> {
    if let Some((key, _)) = sel.versions.iter().find(|(k, _)| !sel.ids.contains(k)) {
        return Err(Error::invalid(
            "version",
            format!("a version was given for {key:?}, which is not among the sessions named"),
        ));
    }
    let student = match &sel.student {
        Some(k) => Some(tx.find_student(&family.id, k).await?.id),
        None => None,
    };
    // Only the sessions named and the days selected are read: a mark costs
    // the same with a year of history as with a week.
    let mut out: Vec<Session> = Vec::new();
    for key in &sel.ids {
        let mut hits = tx.sessions_by_key(&family.id, key).await?;
        if let Some(i) = hits.iter().position(|s| s.id == *key) {
            hits = vec![hits.swap_remove(i)];
        }
        match hits.as_slice() {
            [one] => {
                if let Some((_, read)) = sel.versions.iter().find(|(k, _)| k == key) {
                    check_version(one, *read)?;
                }
                out.push(one.clone());
            }
            [] => return Err(missing_session(tx, family, key).await),
            _ => {
                return Err(Error::invalid(
                    "session",
                    format!("{key:?} matches more than one session"),
                )
                .with_hint("give more characters of the id"));
            }
        }
    }
    let mut marked = 0;
    if sel.date.is_some() || sel.week.is_some() {
        let (from, to) = match (sel.date, sel.week) {
            (Some(d), _) => (d, d),
            (None, Some(w)) => (monday_of(w), add_days(monday_of(w), 6)),
            _ => unreachable_range(),
        };
        let mine = |s: &&Session| student.as_ref().is_none_or(|st| s.student_ids.contains(st));
        for s in tx
            .sessions_between(&family.id, from, to)
            .await?
            .iter()
            .filter(mine)
        {
            if s.status.is_open() {
                out.push(s.clone());
            } else {
                marked += 1;
            }
        }
    }
    if let Some(st) = &student {
        // A session named by id must be the child's: say so, rather than
        // "matches no session".
        if let Some(s) = out.iter().find(|s| !s.student_ids.contains(st)) {
            let name = tx.find_student(&family.id, st).await?.name;
            return Err(
                Error::invalid("student", format!("{name} is not in the lesson {}", s.id))
                    .with_hint("name a lesson of that child, or leave out --student"),
            );
        }
    }
    let mut seen = HashSet::new();
    out.retain(|s| seen.insert(s.id.clone()));
    if out.is_empty() && marked > 0 {
        return Err(Error::invalid(
            "sessions",
            "every session of the selection is already marked",
        )
        .with_hint("name a session by id to change its mark"));
    }
    if out.is_empty() {
        return Err(
            Error::invalid("sessions", "the selection matches no session")
                .with_remedy(crate::Remedy::SelectSessions),
        );
    }
    Ok(out)
}

/// Refuses an action based on a stale read of `s`.
fn check_version(s: &Session, read: i64) -> Result<()> {
    if s.version == read {
        return Ok(());
    }
    Err(Error::conflict(format!(
        "session {} was changed by someone else (now version {}, this action was based on version {read})",
        s.id, s.version
    ))
    .with_hint("reload it and make the change again"))
}

/// The error for a session id that is not there: a conflict naming who
/// removed it, when a recent change did (a re-plan by the other parent, an
/// undo), else not found.
async fn missing_session(tx: &mut Tx, family: &Family, key: &str) -> Error {
    // Deep enough for a busy month of two parents; only read on this error path.
    let changes = match tx.changes(&family.id, 5_000).await {
        Ok(c) => c,
        Err(e) => return e,
    };
    let matches = |id: &str| id == key || (key.len() >= 4 && id.starts_with(key));
    for c in &changes {
        let Ok(undo) = serde_json::from_value::<history::Undo>(c.undo.clone()) else {
            continue;
        };
        let how = if undo.restore.iter().any(|s| matches(&s.id)) {
            format!("{}'s change removed it ({})", c.actor, c.summary)
        } else if c.undone && undo.delete_sessions.iter().any(|id| matches(id)) {
            format!(
                "it came with {}'s change ({}), since undone",
                c.actor, c.summary
            )
        } else {
            continue;
        };
        return Error::conflict(format!("session {key} is no longer in the plan: {how}"))
            .with_hint("reload the week; its lesson is in another session now");
    }
    Error::not_found("session", key).with_remedy(crate::Remedy::List("session"))
}

fn unreachable_range() -> (Date, Date) {
    (Date::MIN, Date::MIN)
}

/// Marks sessions done (or partly done). A group lesson is one session,
/// marked once for everyone in it; its children may be rated apart
/// (`input.ratings`), each rating kept as the child's own.
pub async fn mark_done(
    store: &Store,
    family: &Family,
    sel: &Selector,
    input: DoneInput,
    actor: &str,
    today: Date,
) -> Result<ChangeSummary> {
    ratings::check_input(&input)?;
    let mut tx = store.write(&family.id).await?;
    let sessions = select(&mut tx, family, sel).await?;
    let minutes_given =
        input.actual_minutes.is_some() || input.ratings.iter().any(|r| r.actual_minutes.is_some());
    if minutes_given && sessions.len() > 1 {
        return Err(Error::invalid(
            "minutes",
            format!(
                "minutes were given for {} sessions; they are how long one session took",
                sessions.len()
            ),
        )
        .with_hint("mark one session at a time when giving its minutes"));
    }
    let raters = ratings::resolve(&mut tx, &family.id, &input.ratings, &sessions).await?;
    let groups: Vec<&str> = sessions
        .iter()
        .filter(|s| s.student_ids.len() > 1)
        .map(|s| s.id.as_str())
        .collect();
    let before = if groups.is_empty() {
        Vec::new()
    } else {
        tx.ratings_of(&family.id, &groups).await?
    };
    let status = if input.partial {
        SessionStatus::Partial
    } else {
        SessionStatus::Done
    };
    let at = marked_at(&family.time_zone, today);
    let mut undo = Undo::default();
    for s in &sessions {
        let mut n = s.clone();
        n.status = status;
        n.actual_minutes = input.actual_minutes.or(n.actual_minutes);
        n.grade = input.grade.clone().or(n.grade);
        n.note = input.note.clone().or(n.note);
        n.engagement = input.engagement.or(n.engagement);
        n.difficulty = input.difficulty.or(n.difficulty);
        let rated = ratings::apply(&mut tx, &family.id, &mut n, &input, &raters, &before).await?;
        // A mark that only rates children of a lesson already so marked
        // leaves the session as it is: its undo puts back those ratings only.
        if n != *s || rated.is_empty() {
            undo.restore.push(s.clone());
        }
        undo.restore_ratings.extend(rated);
        tx.mark_session(&family.id, &n, &at).await?;
    }
    let word = if input.partial { "partly done" } else { "done" };
    let whose = if raters.is_empty() {
        String::new()
    } else {
        let mut names: Vec<&str> = input.ratings.iter().map(|r| r.student.trim()).collect();
        names.sort_unstable();
        format!(" ({} rated on their own)", names.join(", "))
    };
    let message = format!("marked {} session(s) {word}{whose}", sessions.len());
    finish_undo(tx, family, actor, "done", &message, &sessions, undo, today).await
}

/// Skips sessions; their lessons stay due and roll forward.
pub async fn skip(
    store: &Store,
    family: &Family,
    sel: &Selector,
    reason: &str,
    actor: &str,
    today: Date,
) -> Result<ChangeSummary> {
    let mut tx = store.write(&family.id).await?;
    let sessions = select(&mut tx, family, sel).await?;
    let at = marked_at(&family.time_zone, today);
    for s in &sessions {
        let mut n = s.clone();
        n.status = SessionStatus::Skipped;
        n.note = Some(if reason.is_empty() {
            "skipped".into()
        } else {
            reason.to_string()
        });
        tx.mark_session(&family.id, &n, &at).await?;
    }
    let msg = format!(
        "skipped {} session(s){}",
        sessions.len(),
        if reason.is_empty() {
            String::new()
        } else {
            format!(": {reason}")
        }
    );
    finish(tx, family, actor, "skip", &msg, sessions, today).await
}

/// Pins or unpins a session: a pinned session stays where it is when the
/// week is re-planned. `version` is the version the caller read, if any.
pub async fn set_pinned(
    store: &Store,
    family: &Family,
    session: &str,
    version: Option<i64>,
    pinned: bool,
    actor: &str,
    today: Date,
) -> Result<ChangeSummary> {
    let mut tx = store.write(&family.id).await?;
    let s = select(&mut tx, family, &Selector::one(session, version)).await?;
    let word = if pinned { "pinned" } else { "unpinned" };
    if s[0].pinned == pinned {
        return Ok(ChangeSummary {
            message: format!("the session was already {word}; nothing changed"),
            sessions: Vec::new(),
        });
    }
    let mut n = s[0].clone();
    n.pinned = pinned;
    tx.update_session(&family.id, &n).await?;
    let msg = format!("{word} a session");
    finish(tx, family, actor, "pin", &msg, s, today).await
}

/// Moves a session to another day and time, if that breaks no hard constraint.
#[allow(clippy::too_many_arguments)]
pub async fn move_session(
    store: &Store,
    family: &Family,
    session: &str,
    date: Date,
    start: Clock,
    expected_version: Option<i64>,
    actor: &str,
    today: Date,
) -> Result<ChangeSummary> {
    let mut tx = store.write(&family.id).await?;
    let s = select(&mut tx, family, &Selector::one(session, expected_version)).await?;
    let old = s[0].clone();
    let data = SchoolData::load(&mut tx, family, date).await?;
    check_placement(&data, &old, date, start)
        .map_err(|why| Error::invalid("move", why).with_remedy(crate::Remedy::SeePlan))?;
    let mut n = old.clone();
    n.date = date;
    n.start = start;
    n.week_start = monday_of(date);
    n.pinned = true;
    tx.update_session(&family.id, &n).await?;
    let msg = format!(
        "moved {} to {} {} (pinned there)",
        planning::describe(&data, &old),
        Weekday::of(date),
        start
    );
    finish(tx, family, actor, "move", &msg, s, today).await
}

/// Reverses the caller's own last change. A change of someone else's is
/// undone only with `force` (the newest change by anyone); the caller's own
/// change is refused when someone else has since changed the same sessions.
pub async fn undo(
    store: &Store,
    family: &Family,
    actor: &str,
    force: bool,
    today: Date,
) -> Result<ChangeSummary> {
    let mut tx = store.write(&family.id).await?;
    let message = history::undo_last(&mut tx, &family.id, actor, force).await?;
    rebind(&mut tx, family, today).await?;
    tx.touch_plans(&family.id).await?;
    tx.commit().await?;
    Ok(ChangeSummary {
        message,
        sessions: Vec::new(),
    })
}

/// Records the change, re-binds lessons and commits.
pub(super) async fn finish(
    tx: Tx,
    family: &Family,
    actor: &str,
    kind: &str,
    message: &str,
    before: Vec<Session>,
    today: Date,
) -> Result<ChangeSummary> {
    let undo = Undo {
        restore: before.clone(),
        ..Default::default()
    };
    finish_undo(tx, family, actor, kind, message, &before, undo, today).await
}

/// [`finish`] with the undo made by the caller; `sessions` are those the
/// change touched.
#[allow(clippy::too_many_arguments)]
pub(super) async fn finish_undo(
    mut tx: Tx,
    family: &Family,
    actor: &str,
    kind: &str,
    message: &str,
    sessions: &[Session],
    undo: Undo,
    today: Date,
) -> Result<ChangeSummary> {
    let ids = sessions.iter().map(|s| s.id.clone()).collect();
    let courses = sessions.iter().map(|s| s.course_id.clone()).collect();
    history::record(&mut tx, &family.id, actor, kind, message, &undo).await?;
    rebind_courses(&mut tx, family, today, &courses).await?;
    tx.touch_plans(&family.id).await?;
    tx.commit().await?;
    Ok(ChangeSummary {
        message: message.to_string(),
        sessions: ids,
    })
}
