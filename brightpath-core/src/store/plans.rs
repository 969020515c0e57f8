//! Saved weekly plans, their sessions, and the history of changes.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use super::Tx;
use super::rows::*;
use crate::error::{Error, Result};
use crate::model::{PlanRecord, Session, SessionStatus};

fn session(row: &AnyRow) -> Result<Session> {
    let status = text(row, "status")?;
    Ok(Session {
        id: text(row, "id")?,
        week_start: date(row, "week_start")?,
        course_id: text(row, "course_id")?,
        lesson_id: opt_text(row, "lesson_id")?,
        student_ids: json(row, "student_ids")?,
        teacher_id: opt_text(row, "teacher_id")?,
        date: date(row, "date")?,
        start: clock(row, "start_time")?,
        minutes: uint(row, "minutes")?,
        status: SessionStatus::parse(&status)
            .ok_or_else(|| Error::Internal(format!("unknown session status {status}")))?,
        pinned: flag(row, "pinned")?,
        actual_minutes: opt_uint(row, "actual_minutes")?,
        grade: opt_text(row, "grade")?,
        note: opt_text(row, "note")?,
        engagement: opt_uint(row, "engagement")?.map(|v| v.min(5) as u8),
        difficulty: opt_uint(row, "difficulty")?.map(|v| v.min(5) as u8),
        version: int(row, "version")?,
    })
}

/// One entry of a family's history: what changed, who changed it, and how to undo it.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRecord {
    pub id: String,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub summary: String,
    /// The sessions as they were before the change.
    pub undo: serde_json::Value,
    pub undone: bool,
}

impl Tx {
    /// Saves (or replaces) the plan record of a week; returns its version.
    pub async fn save_plan(&mut self, family: &str, p: &PlanRecord) -> Result<i64> {
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT version FROM plans WHERE family_id = $1 AND week_start = $2",
        )
        .bind(family)
        .bind(p.week_start.to_string())
        .fetch_optional(self.conn())
        .await?;
        match existing {
            Some(v) => {
                sqlx::query(
                    "UPDATE plans SET score = $1, unscheduled = $2, seed = $3, created_at = $4, version = version + 1
                     WHERE family_id = $5 AND week_start = $6",
                )
                .bind(to_json(&p.score))
                .bind(p.unscheduled.to_string())
                .bind(p.seed as i64)
                .bind(now())
                .bind(family)
                .bind(p.week_start.to_string())
                .execute(self.conn())
                .await?;
                Ok(v + 1)
            }
            None => {
                sqlx::query(
                    "INSERT INTO plans (id, family_id, week_start, score, unscheduled, seed, created_at, version)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
                )
                .bind(&p.id)
                .bind(family)
                .bind(p.week_start.to_string())
                .bind(to_json(&p.score))
                .bind(p.unscheduled.to_string())
                .bind(p.seed as i64)
                .bind(now())
                .execute(self.conn())
                .await?;
                Ok(1)
            }
        }
    }

    pub async fn plan(&mut self, family: &str, week_start: Date) -> Result<Option<PlanRecord>> {
        let row = sqlx::query("SELECT * FROM plans WHERE family_id = $1 AND week_start = $2")
            .bind(family)
            .bind(week_start.to_string())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| {
            Ok(PlanRecord {
                id: text(&r, "id")?,
                week_start: date(&r, "week_start")?,
                score: json(&r, "score")?,
                unscheduled: json(&r, "unscheduled")?,
                seed: int(&r, "seed")? as u64,
                version: int(&r, "version")?,
            })
        })
        .transpose()
    }

    /// Raises the plan's version so that other editors notice a change.
    pub async fn touch_plan(&mut self, family: &str, week_start: Date) -> Result<()> {
        sqlx::query(
            "UPDATE plans SET version = version + 1 WHERE family_id = $1 AND week_start = $2",
        )
        .bind(family)
        .bind(week_start.to_string())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Rolls a session's lesson (see `progress::roll`). The binding follows
    /// from the marks, not from anyone's edit of this session, so its
    /// version stays: a parent's mark based on it still applies, instead of
    /// a 412 saying someone else changed it. The caller raises the week's
    /// plan version so that screens reload.
    pub async fn roll_session_lesson(
        &mut self,
        family: &str,
        id: &str,
        lesson: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE sessions SET lesson_id = $1 WHERE family_id = $2 AND id = $3")
            .bind(lesson)
            .bind(family)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Raises the version of every plan of the family (a session changed).
    pub async fn touch_plans(&mut self, family: &str) -> Result<()> {
        sqlx::query("UPDATE plans SET version = version + 1 WHERE family_id = $1")
            .bind(family)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn insert_session(&mut self, family: &str, s: &Session) -> Result<()> {
        self.insert_sessions(family, std::slice::from_ref(s)).await
    }

    /// Inserts many sessions with one statement per chunk: a week's plan is
    /// written in a few round trips, so the write lock is held briefly.
    pub async fn insert_sessions(&mut self, family: &str, sessions: &[Session]) -> Result<()> {
        const COLUMNS: usize = 19;
        // Small chunks: the SQLite driver finds each `$n` by name, so the
        // cost of one statement grows with the square of its parameters
        // (200 rows per statement spent an eighth of `plan week --all` there).
        const ROWS: usize = 24;
        for chunk in sessions.chunks(ROWS) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|r| {
                    let ps: Vec<String> = (1..=COLUMNS)
                        .map(|c| format!("${}", r * COLUMNS + c))
                        .collect();
                    format!("({})", ps.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO sessions (id, family_id, week_start, course_id, lesson_id, student_ids, teacher_id,
                 date, start_time, minutes, status, pinned, actual_minutes, grade, note, engagement, difficulty,
                 completed_at, version) VALUES {}",
                rows.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for s in chunk {
                q = q
                    .bind(&s.id)
                    .bind(family)
                    .bind(s.week_start.to_string())
                    .bind(&s.course_id)
                    .bind(s.lesson_id.as_deref())
                    .bind(to_json(&s.student_ids))
                    .bind(s.teacher_id.as_deref())
                    .bind(s.date.to_string())
                    .bind(s.start.to_string())
                    .bind(i64::from(s.minutes))
                    .bind(s.status.as_str())
                    .bind(i64::from(s.pinned))
                    .bind(s.actual_minutes.map(i64::from))
                    .bind(s.grade.as_deref())
                    .bind(s.note.as_deref())
                    .bind(s.engagement.map(i64::from))
                    .bind(s.difficulty.map(i64::from))
                    .bind((s.status != SessionStatus::Planned).then(now))
                    .bind(s.version.max(1));
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }

    /// Writes every field of `s` if its version is current; returns the new
    /// version. The time it was marked is kept (cleared when it is planned
    /// again); [`Tx::mark_session`] records a new one.
    pub async fn update_session(&mut self, family: &str, s: &Session) -> Result<i64> {
        self.write_session(family, s, None).await
    }

    /// [`Tx::update_session`] for a mark (done, partly done, skipped,
    /// missed) made at `at` (RFC 3339; see `calendar::marked_at`).
    pub async fn mark_session(&mut self, family: &str, s: &Session, at: &str) -> Result<i64> {
        self.write_session(family, s, Some(at)).await
    }

    async fn write_session(&mut self, family: &str, s: &Session, at: Option<&str>) -> Result<i64> {
        let n = sqlx::query(
            "UPDATE sessions SET week_start = $1, lesson_id = $2, date = $3, start_time = $4, minutes = $5,
             status = $6, pinned = $7, actual_minutes = $8, grade = $9, note = $10, engagement = $11,
             difficulty = $12, completed_at = CASE WHEN $6 = 'planned' THEN NULL ELSE COALESCE($13, completed_at) END,
             version = version + 1
             WHERE family_id = $14 AND id = $15 AND version = $16",
        )
        .bind(s.week_start.to_string())
        .bind(s.lesson_id.clone())
        .bind(s.date.to_string())
        .bind(s.start.to_string())
        .bind(i64::from(s.minutes))
        .bind(s.status.as_str())
        .bind(i64::from(s.pinned))
        .bind(s.actual_minutes.map(i64::from))
        .bind(s.grade.clone())
        .bind(s.note.clone())
        .bind(s.engagement.map(i64::from))
        .bind(s.difficulty.map(i64::from))
        .bind(at)
        .bind(family)
        .bind(&s.id)
        .bind(s.version)
        .execute(self.conn())
        .await?
        .rows_affected();
        self.check_versioned("sessions", "session", family, &s.id, s.version, n)
            .await?;
        Ok(s.version + 1)
    }

    pub async fn delete_session(&mut self, family: &str, id: &str) -> Result<()> {
        self.delete_row("sessions", "session", family, id).await
    }

    /// Deletes sessions a re-plan replaces, in a few statements. Only open
    /// sessions (planned, not pinned) are deleted: if any of them was marked,
    /// pinned or removed since it was read, nothing is to be committed
    /// (`Conflict`), so a re-plan never deletes a mark.
    pub async fn delete_open_sessions(&mut self, family: &str, ids: &[&str]) -> Result<()> {
        for chunk in ids.chunks(64) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "DELETE FROM sessions WHERE family_id = $1 AND status = 'planned' AND pinned = 0 AND id IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(family);
            for id in chunk {
                q = q.bind(*id);
            }
            let n = q.execute(self.conn()).await?.rows_affected();
            if n != chunk.len() as u64 {
                return Err(Error::conflict(format!(
                    "{} of {} sessions to re-plan were marked, pinned or removed meanwhile",
                    chunk.len() as u64 - n,
                    chunk.len()
                )));
            }
        }
        Ok(())
    }

    /// The family's sessions that pass `filter` (SQL over the sessions
    /// table with `$2`, `$3`... for `args`), in time order.
    async fn session_rows(
        &mut self,
        family: &str,
        filter: &str,
        args: &[&str],
    ) -> Result<Vec<AnyRow>> {
        let sql = format!(
            "SELECT * FROM sessions WHERE family_id = $1 AND ({filter}) ORDER BY date, start_time, course_id, id"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(family);
        for a in args {
            q = q.bind(*a);
        }
        Ok(q.fetch_all(self.conn()).await?)
    }

    async fn sessions_where(
        &mut self,
        family: &str,
        filter: &str,
        args: &[&str],
    ) -> Result<Vec<Session>> {
        self.session_rows(family, filter, args)
            .await?
            .iter()
            .map(session)
            .collect()
    }

    /// Sessions dated `from..=to`, in time order.
    pub async fn sessions_between(
        &mut self,
        family: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<Session>> {
        let (from, to) = (from.to_string(), to.to_string());
        self.sessions_where(family, "date >= $2 AND date <= $3", &[&from, &to])
            .await
    }

    /// Only the ids and versions of a span's sessions (what a week's
    /// fingerprint needs), without reading the sessions themselves.
    pub async fn session_versions_between(
        &mut self,
        family: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<(String, i64)>> {
        sqlx::query(
            "SELECT id, version FROM sessions WHERE family_id = $1 AND date >= $2 AND date <= $3",
        )
        .bind(family)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(|r| Ok((text(r, "id")?, int(r, "version")?)))
        .collect()
    }

    /// Every session of the family (for curriculum positions and records).
    pub async fn all_sessions(&mut self, family: &str) -> Result<Vec<Session>> {
        self.sessions_where(family, "1 = 1", &[]).await
    }

    /// Every marked session (done, partly done, skipped, missed) dated
    /// `from..=to`, in time order, with when it was marked.
    pub async fn marked_sessions(
        &mut self,
        family: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<(Session, Option<String>)>> {
        let (from, to) = (from.to_string(), to.to_string());
        self.session_rows(
            family,
            "status <> 'planned' AND date >= $2 AND date <= $3",
            &[&from, &to],
        )
        .await?
        .iter()
        .map(|r| Ok((session(r)?, opt_text(r, "completed_at")?)))
        .collect()
    }

    /// The sessions of one course, in time order.
    pub async fn course_sessions(&mut self, family: &str, course: &str) -> Result<Vec<Session>> {
        self.sessions_where(family, "course_id = $2", &[course])
            .await
    }

    /// The sessions whose id is `key` or starts with it (a prefix counts
    /// from 4 characters on).
    pub async fn sessions_by_key(&mut self, family: &str, key: &str) -> Result<Vec<Session>> {
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let n = key.chars().count();
        let prefix = if n >= 4 { n } else { 0 }.to_string();
        self.sessions_where(
            family,
            "id = $2 OR substr(id, 1, CAST($3 AS INTEGER)) = $2",
            &[key, &prefix],
        )
        .await
    }

    pub async fn session(&mut self, family: &str, id: &str) -> Result<Session> {
        let row = sqlx::query("SELECT * FROM sessions WHERE family_id = $1 AND id = $2")
            .bind(family)
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| Error::not_found("session", id))?;
        session(&row)
    }

    pub async fn insert_change(&mut self, family: &str, c: &ChangeRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO changes (id, family_id, at, actor, kind, summary, undo, undone)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
        )
        .bind(&c.id)
        .bind(family)
        .bind(&c.at)
        .bind(&c.actor)
        .bind(&c.kind)
        .bind(&c.summary)
        .bind(c.undo.to_string())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The family's history, newest first.
    pub async fn changes(&mut self, family: &str, limit: i64) -> Result<Vec<ChangeRecord>> {
        sqlx::query("SELECT * FROM changes WHERE family_id = $1 ORDER BY at DESC, id DESC LIMIT $2")
            .bind(family)
            .bind(limit)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(change)
            .collect()
    }

    /// The changes made at `since` (RFC 3339 UTC text) or later, newest first.
    pub async fn changes_since(&mut self, family: &str, since: &str) -> Result<Vec<ChangeRecord>> {
        sqlx::query(
            "SELECT * FROM changes WHERE family_id = $1 AND at >= $2 ORDER BY at DESC, id DESC",
        )
        .bind(family)
        .bind(since)
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(change)
        .collect()
    }

    pub async fn mark_change_undone(&mut self, family: &str, id: &str) -> Result<()> {
        sqlx::query("UPDATE changes SET undone = 1 WHERE family_id = $1 AND id = $2")
            .bind(family)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}

fn change(r: &AnyRow) -> Result<ChangeRecord> {
    Ok(ChangeRecord {
        id: text(r, "id")?,
        at: text(r, "at")?,
        actor: text(r, "actor")?,
        kind: text(r, "kind")?,
        summary: text(r, "summary")?,
        undo: json(r, "undo")?,
        undone: flag(r, "undone")?,
    })
}
