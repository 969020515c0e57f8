//! Each child's own rating of a group lesson (`model::ChildRating`).

use jiff::civil::Date;
use sqlx::any::AnyRow;

use super::Tx;
use super::rows::*;
use crate::error::Result;
use crate::model::{ChildRating, new_id};

fn rating(row: &AnyRow) -> Result<ChildRating> {
    Ok(ChildRating {
        session_id: text(row, "session_id")?,
        student_id: text(row, "student_id")?,
        actual_minutes: opt_uint(row, "actual_minutes")?,
        engagement: opt_uint(row, "engagement")?.map(|v| v.min(5) as u8),
        difficulty: opt_uint(row, "difficulty")?.map(|v| v.min(5) as u8),
        note: opt_text(row, "note")?,
    })
}

const COLUMNS: &str = "session_id, student_id, actual_minutes, engagement, difficulty, note";

impl Tx {
    /// The ratings of the sessions `ids`, by session and student.
    pub async fn ratings_of(&mut self, family: &str, ids: &[&str]) -> Result<Vec<ChildRating>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(64) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT {COLUMNS} FROM child_ratings WHERE family_id = $1 AND session_id IN ({}) \
                 ORDER BY session_id, student_id",
                marks.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(family);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.conn()).await? {
                out.push(rating(&row)?);
            }
        }
        Ok(out)
    }

    /// Every rating of the family's sessions dated `from..=to` (all dates
    /// when `None`), by session and student.
    pub async fn ratings_between(
        &mut self,
        family: &str,
        span: Option<(Date, Date)>,
    ) -> Result<Vec<ChildRating>> {
        let (from, to) = span.map_or((String::new(), String::new()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
        let sql = format!(
            "SELECT {COLUMNS} FROM child_ratings WHERE family_id = $1 AND ($2 = '' OR session_id IN \
             (SELECT id FROM sessions WHERE family_id = $1 AND date >= $2 AND date <= $3)) \
             ORDER BY session_id, student_id"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(family)
            .bind(from)
            .bind(to)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(rating)
            .collect()
    }

    /// Sets one child's rating of a session: `None` (or an empty rating)
    /// removes it, so the session's feedback holds for that child.
    pub async fn set_rating(
        &mut self,
        family: &str,
        session: &str,
        student: &str,
        r: Option<&ChildRating>,
    ) -> Result<()> {
        sqlx::query(
            "DELETE FROM child_ratings WHERE family_id = $1 AND session_id = $2 AND student_id = $3",
        )
        .bind(family)
        .bind(session)
        .bind(student)
        .execute(self.conn())
        .await?;
        let Some(r) = r.filter(|r| !r.is_empty()) else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO child_ratings (id, family_id, session_id, student_id, actual_minutes, engagement, difficulty, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(family)
        .bind(session)
        .bind(student)
        .bind(r.actual_minutes.map(i64::from))
        .bind(r.engagement.map(i64::from))
        .bind(r.difficulty.map(i64::from))
        .bind(r.note.clone())
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
