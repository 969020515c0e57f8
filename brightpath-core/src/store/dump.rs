//! Whole rows of the school's tables, for backups: read as JSON objects
//! (column → string, integer or null) and written back. The columns come from
//! the database itself, so a backup follows the schema of its migrations; the
//! types come from the target's columns, so a NULL binds as the right type
//! on PostgreSQL.

use serde_json::{Map, Value};
use sqlx::Row;

use super::{Backend, Tx};
use crate::error::{Error, Result};

/// The tables of a school, parents before children (the order rows are
/// restored in). `web_tokens` is left out on purpose: sign-in links and
/// sessions belong to one server and are never moved.
pub const TABLES: &[&str] = &[
    "coops",
    "families",
    "people",
    "students",
    "availability_exceptions",
    "school_years",
    "breaks",
    "courses",
    "enrollments",
    "lessons",
    "fixed_events",
    "plans",
    "sessions",
    "child_ratings",
    "changes",
];

/// One column: its name and whether it holds integers.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub integer: bool,
}

impl Tx {
    /// Makes this read transaction one snapshot on PostgreSQL (REPEATABLE
    /// READ): every table of a backup is read as of the same moment. SQLite's
    /// read transaction is a snapshot already. Call it before the first read.
    pub(crate) async fn snapshot(&mut self) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// The schema version: the newest migration applied.
    pub(crate) async fn schema_version(&mut self) -> Result<i64> {
        let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM brightpath_migrations")
            .fetch_one(self.conn())
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// The columns of `table`, in table order.
    pub(crate) async fn columns(&mut self, table: &str) -> Result<Vec<Column>> {
        let table = known(table)?;
        let rows: Vec<(String, String)> = match self.backend {
            Backend::Sqlite => {
                sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                    .bind(table)
                    .fetch_all(self.conn())
                    .await?
            }
            Backend::Postgres => {
                sqlx::query_as(
                    "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                )
                .bind(table)
                .fetch_all(self.conn())
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(name, ty)| {
                let ty = ty.to_ascii_uppercase();
                Column {
                    name,
                    integer: ty.contains("INT"),
                }
            })
            .collect())
    }

    /// Every row of `table`, or those of the families in `families` (the
    /// `coops` table: the coops those families belong to). Ordered by id so
    /// that two backups of the same data are the same file.
    pub(crate) async fn dump_rows(
        &mut self,
        table: &str,
        families: Option<&[String]>,
    ) -> Result<Vec<Map<String, Value>>> {
        let table = known(table)?;
        let columns = self.columns(table).await?;
        let list = columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let key = if columns.iter().any(|c| c.name == "id") {
            "id"
        } else {
            "1"
        };
        let rows = match families {
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {list} FROM {table} ORDER BY {key}"
                )))
                .fetch_all(self.conn())
                .await?
            }
            Some(ids) => {
                let filter = match table {
                    "coops" => "id IN (SELECT coop_id FROM families WHERE id = $1)",
                    "families" => "id = $1",
                    // The family's people and the co-op teachers its courses name.
                    "people" => {
                        "family_id = $1 OR id IN (SELECT teacher_id FROM courses WHERE family_id = $1)"
                    }
                    _ => "family_id = $1",
                };
                let mut all = Vec::new();
                for id in ids {
                    all.extend(
                        sqlx::query(sqlx::AssertSqlSafe(format!(
                            "SELECT {list} FROM {table} WHERE {filter} ORDER BY {key}"
                        )))
                        .bind(id)
                        .fetch_all(self.conn())
                        .await?,
                    );
                }
                all
            }
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut obj = Map::new();
            for (i, c) in columns.iter().enumerate() {
                let v = if c.integer {
                    row.try_get::<Option<i64>, _>(i)?
                        .map_or(Value::Null, Value::from)
                } else {
                    row.try_get::<Option<String>, _>(i)?
                        .map_or(Value::Null, Value::from)
                };
                obj.insert(c.name.clone(), v);
            }
            out.push(obj);
        }
        Ok(out)
    }

    /// Inserts `rows` into `table`. Each row must name only columns the table
    /// has, with values of their kind; a column it leaves out takes its default.
    pub(crate) async fn load_rows(
        &mut self,
        table: &str,
        columns: &[Column],
        rows: &[Map<String, Value>],
    ) -> Result<()> {
        let table = known(table)?;
        for (n, row) in rows.iter().enumerate() {
            let bad =
                |why: String| Error::invalid("backup", format!("{table} row {}: {why}", n + 1));
            let mut names = Vec::new();
            let mut values = Vec::new();
            for (name, value) in row {
                let col = columns
                    .iter()
                    .find(|c| &c.name == name)
                    .ok_or_else(|| bad(format!("no column {name} in this database")))?;
                names.push(name.as_str());
                values.push((col.integer, value));
            }
            let marks = (1..=names.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({marks})",
                names.join(", ")
            );
            // Table and column names are checked against the schema above.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (name, (integer, value)) in names.iter().zip(values) {
                q = match (integer, value) {
                    (true, Value::Null) => q.bind(None::<i64>),
                    (false, Value::Null) => q.bind(None::<String>),
                    (true, Value::Number(x)) if x.is_i64() => q.bind(x.as_i64()),
                    (false, Value::String(s)) => q.bind(s.clone()),
                    (_, other) => {
                        return Err(bad(format!("{name} has an unexpected value {other}")));
                    }
                };
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }
}

impl Tx {
    /// Whether `table` has a row with this id.
    pub(crate) async fn row_exists(&mut self, table: &str, id: &str) -> Result<bool> {
        let table = known(table)?;
        let found: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {table} WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        Ok(found.is_some())
    }
}

/// `table` if it is one of [`TABLES`]: table names are spliced into SQL, so
/// only known names ever are.
fn known(table: &str) -> Result<&'static str> {
    TABLES
        .iter()
        .find(|t| **t == table)
        .copied()
        .ok_or_else(|| Error::invalid("backup", format!("{table} is not a table of a school")))
}
