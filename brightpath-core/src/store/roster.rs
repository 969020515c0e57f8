//! Co-op rosters: the imported records by sourcedId, and the bulk writes an
//! import needs. Inserts go in multi-row statements (hundreds of rows each),
//! because an import of a large co-op is hundreds of thousands of rows and a
//! round trip per row is most of its time.

use super::rows::*;
use super::{Backend, Tx};
use crate::error::Result;
use crate::model::{Family, FixedEvent, Guardian, Recurrence, Role, Student};

/// One record of a co-op's roster as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRecord {
    pub kind: String,
    pub sourced_id: String,
    /// The record's fields in canonical JSON.
    pub fields: String,
    pub family_id: Option<String>,
    pub target_id: Option<String>,
}

/// A value to bind in a bulk insert.
enum Val {
    Text(String),
    Opt(Option<String>),
    Int(i64),
}

impl Tx {
    /// Inserts `rows` into `table` in multi-row statements. `table` and
    /// `cols` are this module's own constants, never input.
    async fn insert_rows(&mut self, table: &str, cols: &[&str], rows: Vec<Vec<Val>>) -> Result<()> {
        // Parameters per statement. On SQLite the cost of a statement grows
        // faster than its parameters (measured: 11,000 a statement was 5x
        // slower than 40-100); PostgreSQL hardly minds (60-8,000 alike).
        let params = if self.backend == Backend::Sqlite {
            60
        } else {
            2000
        };
        let per = (params / cols.len().max(1)).max(1);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Val>> = rows.by_ref().take(per).collect();
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
            let mut n = 0;
            for (i, _) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push('(');
                for c in 0..cols.len() {
                    n += 1;
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${n}"));
                }
                sql.push(')');
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                for v in row {
                    q = match v {
                        Val::Text(t) => q.bind(t),
                        Val::Opt(t) => q.bind(t),
                        Val::Int(i) => q.bind(i),
                    };
                }
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }

    pub async fn roster_records(&mut self, coop: &str) -> Result<Vec<RosterRecord>> {
        let rows = sqlx::query(
            "SELECT kind, sourced_id, fields, family_id, target_id FROM roster_records WHERE coop_id = $1",
        )
        .bind(coop)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RosterRecord {
                    kind: text(r, "kind")?,
                    sourced_id: text(r, "sourced_id")?,
                    fields: text(r, "fields")?,
                    family_id: opt_text(r, "family_id")?,
                    target_id: opt_text(r, "target_id")?,
                })
            })
            .collect()
    }

    pub async fn insert_roster_records(
        &mut self,
        coop: &str,
        records: &[RosterRecord],
    ) -> Result<()> {
        let rows = records
            .iter()
            .map(|r| {
                vec![
                    Val::Text(coop.to_string()),
                    Val::Text(r.kind.clone()),
                    Val::Text(r.sourced_id.clone()),
                    Val::Text(r.fields.clone()),
                    Val::Opt(r.family_id.clone()),
                    Val::Opt(r.target_id.clone()),
                ]
            })
            .collect();
        self.insert_rows(
            "roster_records",
            &[
                "coop_id",
                "kind",
                "sourced_id",
                "fields",
                "family_id",
                "target_id",
            ],
            rows,
        )
        .await
    }

    pub async fn update_roster_record(&mut self, coop: &str, r: &RosterRecord) -> Result<()> {
        sqlx::query(
            "UPDATE roster_records SET fields = $1, family_id = $2, target_id = $3
             WHERE coop_id = $4 AND kind = $5 AND sourced_id = $6",
        )
        .bind(&r.fields)
        .bind(r.family_id.clone())
        .bind(r.target_id.clone())
        .bind(coop)
        .bind(&r.kind)
        .bind(&r.sourced_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn delete_roster_record(&mut self, coop: &str, kind: &str, sid: &str) -> Result<()> {
        sqlx::query(
            "DELETE FROM roster_records WHERE coop_id = $1 AND kind = $2 AND sourced_id = $3",
        )
        .bind(coop)
        .bind(kind)
        .bind(sid)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn insert_families(&mut self, families: &[Family]) -> Result<()> {
        let at = now();
        let rows = families
            .iter()
            .map(|f| {
                vec![
                    Val::Text(f.id.clone()),
                    Val::Opt(f.coop_id.clone()),
                    Val::Text(f.name.clone()),
                    Val::Text(f.time_zone.clone()),
                    Val::Text(at.clone()),
                ]
            })
            .collect();
        self.insert_rows(
            "families",
            &["id", "coop_id", "name", "time_zone", "created_at"],
            rows,
        )
        .await
    }

    pub async fn insert_guardians(&mut self, guardians: &[Guardian]) -> Result<()> {
        let rows = guardians
            .iter()
            .map(|g| {
                vec![
                    Val::Text(g.id.clone()),
                    Val::Text(g.family_id.clone()),
                    Val::Text(g.name.clone()),
                    Val::Opt(g.email.clone()),
                    Val::Text(Role::Guardian.as_str().to_string()),
                    Val::Text(g.availability.to_json()),
                ]
            })
            .collect();
        self.insert_rows(
            "people",
            &["id", "family_id", "name", "email", "role", "availability"],
            rows,
        )
        .await
    }

    pub async fn insert_students(&mut self, students: &[Student]) -> Result<()> {
        let rows = students
            .iter()
            .map(|s| {
                vec![
                    Val::Text(s.id.clone()),
                    Val::Text(s.family_id.clone()),
                    Val::Text(s.name.clone()),
                    Val::Opt(s.grade.clone()),
                    Val::Text(s.availability.to_json()),
                ]
            })
            .collect();
        self.insert_rows(
            "students",
            &["id", "family_id", "name", "grade", "availability"],
            rows,
        )
        .await
    }

    /// Sets a guardian's name and e-mail (an import's update of a person).
    pub async fn set_guardian_contact(
        &mut self,
        id: &str,
        name: &str,
        email: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE people SET name = $1, email = $2, version = version + 1 WHERE id = $3")
            .bind(name)
            .bind(email.map(str::to_string))
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn set_student_name(
        &mut self,
        id: &str,
        name: &str,
        grade: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE students SET name = $1, grade = $2, version = version + 1 WHERE id = $3",
        )
        .bind(name)
        .bind(grade.map(str::to_string))
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn set_family_time_zone(&mut self, id: &str, zone: &str) -> Result<()> {
        sqlx::query("UPDATE families SET time_zone = $1, version = version + 1 WHERE id = $2")
            .bind(zone)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn insert_events(&mut self, events: &[(String, FixedEvent)]) -> Result<()> {
        let rows = events
            .iter()
            .map(|(family, e)| {
                let (weekday, date) = match &e.recurrence {
                    Recurrence::Weekly(d) => (Some(d.name().to_string()), None),
                    Recurrence::Once(d) => (None, Some(d.to_string())),
                };
                vec![
                    Val::Text(e.id.clone()),
                    Val::Text(family.clone()),
                    Val::Text(e.name.clone()),
                    Val::Opt(weekday),
                    Val::Opt(date),
                    Val::Text(e.window.start.to_string()),
                    Val::Text(e.window.end.to_string()),
                    Val::Int(i64::from(e.away)),
                    Val::Text(to_json(&e.student_ids)),
                    Val::Text(to_json(&e.guardian_ids)),
                    Val::Text(e.school.as_str().to_string()),
                ]
            })
            .collect();
        self.insert_rows(
            "fixed_events",
            &[
                "id",
                "family_id",
                "name",
                "weekday",
                "date",
                "start_time",
                "end_time",
                "away",
                "student_ids",
                "guardian_ids",
                "school",
            ],
            rows,
        )
        .await
    }

    /// The weeks from `from` on for which a family has a plan.
    pub async fn planned_weeks_from(&mut self, family: &str, from: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT week_start FROM plans WHERE family_id = $1 AND week_start >= $2 ORDER BY week_start",
        )
        .bind(family)
        .bind(from)
        .fetch_all(self.conn())
        .await?)
    }

    /// Rows in a table (tests and benchmarks count rows before and after).
    #[cfg(feature = "test-support")]
    pub async fn count_rows(&mut self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(self.conn())
            .await?)
    }
}
