//! Bulk inserts of the rows an import makes (families, people, events).
//!
//! Rows are sent as one JSON array per statement, unpacked by the database
//! (`jsonb_array_elements` on PostgreSQL, `json_each` on SQLite): one
//! parameter instead of thousands, through the same `Any` connection and
//! transaction as every other write. Measured on PostgreSQL 15 with 300,000
//! events, the statement itself takes about 15% longer than `COPY`.
//!
//! A [`BulkInsert`] of up to [`ROWS`] rows is made ready (its SQL and its
//! JSON) before it is queued, so the task that owns an import's transaction
//! (`store::Behind`) only sends it: encoding on that task kept the database
//! waiting between statements.

use serde::Serialize;

use super::rows::{now, to_json};
use super::{Backend, NewPerson, Tx};
use crate::calendar::WeeklyAvailability;
use crate::error::Result;
use crate::model::{Family, FixedEvent, Recurrence, Role};

/// Rows per statement: callers cut their rows into parts of this many and
/// queue each part as it is made, so only a few are held at once.
pub const ROWS: usize = 10_000;

/// A column of a bulk insert: its name and whether it holds integers.
#[derive(Clone, Copy)]
struct Col(&'static str, bool);

const fn text(name: &'static str) -> Col {
    Col(name, false)
}

/// A value in a bulk insert's JSON rows.
#[derive(Serialize)]
#[serde(untagged)]
enum Val<'a> {
    Text(&'a str),
    Opt(Option<&'a str>),
    Int(i64),
}

/// An insert of many rows into one table, ready to run: its statement, its
/// rows as one JSON array, and a value every row shares (bound once).
#[derive(Debug, Clone)]
pub struct BulkInsert {
    sql: String,
    rows: String,
    shared: Option<String>,
}

impl BulkInsert {
    /// `table` and `cols` are this module's own constants, never input.
    /// `shared`: a last column whose value is the same in every row.
    fn new(
        backend: Backend,
        table: &str,
        cols: &[Col],
        rows: &[Vec<Val<'_>>],
        shared: Option<(&str, String)>,
    ) -> BulkInsert {
        let mut names: Vec<&str> = cols.iter().map(|c| c.0).collect();
        let mut values: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| match (backend, c.1) {
                (Backend::Postgres, false) => format!("r->>{i}"),
                (Backend::Postgres, true) => format!("(r->>{i})::BIGINT"),
                (Backend::Sqlite, _) => format!("json_extract(value, '$[{i}]')"),
            })
            .collect();
        if let Some((name, _)) = &shared {
            names.push(name);
            values.push(match backend {
                Backend::Postgres => "$2::TEXT".into(),
                Backend::Sqlite => "$2".into(),
            });
        }
        let from = match backend {
            Backend::Postgres => "jsonb_array_elements($1::jsonb) AS r",
            Backend::Sqlite => "json_each($1)",
        };
        BulkInsert {
            sql: format!(
                "INSERT INTO {table} ({}) SELECT {} FROM {from}",
                names.join(", "),
                values.join(", ")
            ),
            rows: to_json(&rows),
            shared: shared.map(|(_, v)| v),
        }
    }

    /// The bytes it holds (for the write-behind queue's budget).
    pub fn bytes(&self) -> usize {
        self.rows.len() + self.sql.len()
    }

    pub fn families(backend: Backend, families: &[Family]) -> BulkInsert {
        let at = now();
        let rows: Vec<Vec<Val>> = families
            .iter()
            .map(|f| {
                vec![
                    Val::Text(&f.id),
                    Val::Opt(f.coop_id.as_deref()),
                    Val::Text(&f.name),
                    Val::Text(&f.time_zone),
                    Val::Text(&at),
                ]
            })
            .collect();
        let cols = ["id", "coop_id", "name", "time_zone", "created_at"].map(text);
        BulkInsert::new(backend, "families", &cols, &rows, None)
    }

    /// The guardians an import makes, each free at `hours`.
    pub fn guardians(
        backend: Backend,
        guardians: &[NewPerson],
        hours: &WeeklyAvailability,
    ) -> BulkInsert {
        BulkInsert::people(
            backend,
            "people",
            "email",
            Some(Role::Guardian),
            guardians,
            hours,
        )
    }

    /// The children an import makes, each free at `hours`.
    pub fn students(
        backend: Backend,
        students: &[NewPerson],
        hours: &WeeklyAvailability,
    ) -> BulkInsert {
        BulkInsert::people(backend, "students", "grade", None, students, hours)
    }

    /// People into `table`: a person's detail goes to the column `detail`,
    /// and `role` (when the table keeps one) and `hours` are everyone's.
    fn people(
        backend: Backend,
        table: &str,
        detail: &'static str,
        role: Option<Role>,
        people: &[NewPerson],
        hours: &WeeklyAvailability,
    ) -> BulkInsert {
        let rows: Vec<Vec<Val>> = people
            .iter()
            .map(|p| {
                let mut row = vec![
                    Val::Text(&p.id),
                    Val::Text(&p.family_id),
                    Val::Text(&p.name),
                    Val::Opt(p.detail.as_deref()),
                ];
                row.extend(role.map(|r| Val::Text(r.as_str())));
                row
            })
            .collect();
        let mut cols = vec![text("id"), text("family_id"), text("name"), text(detail)];
        cols.extend(role.map(|_| text("role")));
        let hours = ("availability", hours.to_json());
        BulkInsert::new(backend, table, &cols, &rows, Some(hours))
    }

    /// Fixed events, each with its family's id.
    pub fn events(backend: Backend, events: &[(String, FixedEvent)]) -> BulkInsert {
        // The text the rows borrow: weekday or date, then start, end and
        // the two id lists as JSON.
        let owned: Vec<(Option<&str>, Option<String>, [String; 4])> = events
            .iter()
            .map(|(_, e)| {
                let (weekday, date) = match &e.recurrence {
                    Recurrence::Weekly(d) => (Some(d.name()), None),
                    Recurrence::Once(d) => (None, Some(d.to_string())),
                };
                let text = [
                    e.window.start.to_string(),
                    e.window.end.to_string(),
                    to_json(&e.student_ids),
                    to_json(&e.guardian_ids),
                ];
                (weekday, date, text)
            })
            .collect();
        let rows: Vec<Vec<Val>> = events
            .iter()
            .zip(&owned)
            .map(|((family, e), (weekday, date, t))| {
                vec![
                    Val::Text(&e.id),
                    Val::Text(family),
                    Val::Text(&e.name),
                    Val::Opt(*weekday),
                    Val::Opt(date.as_deref()),
                    Val::Text(&t[0]),
                    Val::Text(&t[1]),
                    Val::Int(i64::from(e.away)),
                    Val::Text(&t[2]),
                    Val::Text(&t[3]),
                    Val::Text(e.school.as_str()),
                ]
            })
            .collect();
        let cols = [
            text("id"),
            text("family_id"),
            text("name"),
            text("weekday"),
            text("date"),
            text("start_time"),
            text("end_time"),
            Col("away", true),
            text("student_ids"),
            text("guardian_ids"),
            text("school"),
        ];
        BulkInsert::new(backend, "fixed_events", &cols, &rows, None)
    }
}

impl Tx {
    /// Runs a bulk insert made ready before.
    pub async fn insert_bulk(&mut self, insert: &BulkInsert) -> Result<()> {
        let query =
            sqlx::query(sqlx::AssertSqlSafe(insert.sql.as_str())).bind(insert.rows.as_str());
        let query = match &insert.shared {
            Some(v) => query.bind(v.as_str()),
            None => query,
        };
        query.execute(self.conn()).await?;
        Ok(())
    }
}
