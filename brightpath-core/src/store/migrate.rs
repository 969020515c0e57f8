//! Schema migrations, one folder per backend, embedded in the binary and applied
//! in order when a database is opened. An applied migration is never edited: its
//! checksum is recorded, and a mismatch stops start-up.

use serde::Serialize;
use sqlx::AnyPool;

use super::Backend;
use crate::error::{Error, Result};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "school",
        sqlite: include_str!("../../migrations/sqlite/0001_school.sql"),
        postgres: include_str!("../../migrations/postgres/0001_school.sql"),
    },
    Migration {
        version: 2,
        name: "plans",
        sqlite: include_str!("../../migrations/sqlite/0002_plans.sql"),
        postgres: include_str!("../../migrations/postgres/0002_plans.sql"),
    },
    Migration {
        version: 3,
        name: "indexes",
        sqlite: include_str!("../../migrations/sqlite/0003_indexes.sql"),
        postgres: include_str!("../../migrations/postgres/0003_indexes.sql"),
    },
    Migration {
        version: 4,
        name: "event_hours",
        sqlite: include_str!("../../migrations/sqlite/0004_event_hours.sql"),
        postgres: include_str!("../../migrations/postgres/0004_event_hours.sql"),
    },
    Migration {
        version: 5,
        name: "web_tokens",
        sqlite: include_str!("../../migrations/sqlite/0005_web_tokens.sql"),
        postgres: include_str!("../../migrations/postgres/0005_web_tokens.sql"),
    },
    Migration {
        version: 6,
        name: "access",
        sqlite: include_str!("../../migrations/sqlite/0006_access.sql"),
        postgres: include_str!("../../migrations/postgres/0006_access.sql"),
    },
    Migration {
        version: 7,
        name: "roster",
        sqlite: include_str!("../../migrations/sqlite/0007_roster.sql"),
        postgres: include_str!("../../migrations/postgres/0007_roster.sql"),
    },
    Migration {
        version: 8,
        name: "learned_models",
        sqlite: include_str!("../../migrations/sqlite/0008_learned_models.sql"),
        postgres: include_str!("../../migrations/postgres/0008_learned_models.sql"),
    },
    Migration {
        version: 9,
        name: "roster_uploads",
        sqlite: include_str!("../../migrations/sqlite/0009_roster_uploads.sql"),
        postgres: include_str!("../../migrations/postgres/0009_roster_uploads.sql"),
    },
    Migration {
        version: 10,
        name: "roster_chunks",
        sqlite: include_str!("../../migrations/sqlite/0010_roster_chunks.sql"),
        postgres: include_str!("../../migrations/postgres/0010_roster_chunks.sql"),
    },
    Migration {
        version: 11,
        name: "child_ratings",
        sqlite: include_str!("../../migrations/sqlite/0011_child_ratings.sql"),
        postgres: include_str!("../../migrations/postgres/0011_child_ratings.sql"),
    },
];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MigrationStatus {
    pub version: i64,
    pub name: String,
    pub applied_at: Option<String>,
}

/// The migrations this build knows, by version and name.
pub fn migrations() -> Vec<(i64, &'static str)> {
    MIGRATIONS.iter().map(|m| (m.version, m.name)).collect()
}

impl Migration {
    fn sql(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// FNV-1a: enough to notice an edited migration; not a security boundary.
fn checksum(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.replace("\r\n", "\n").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

const CREATE: &str = "CREATE TABLE IF NOT EXISTS brightpath_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL)";

pub(super) async fn apply(pool: &AnyPool, backend: Backend) -> Result<Vec<MigrationStatus>> {
    let mut tx = pool.begin().await?;
    if backend == Backend::Postgres {
        // Two servers starting at once must not both apply the same migration.
        sqlx::query("SELECT pg_advisory_xact_lock(727274)")
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(CREATE).execute(&mut *tx).await?;
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, checksum FROM brightpath_migrations ORDER BY version")
            .fetch_all(&mut *tx)
            .await?;
    for m in MIGRATIONS {
        let sum = checksum(m.sql(backend));
        if let Some((_, recorded)) = applied.iter().find(|(v, _)| *v == m.version) {
            if *recorded != sum {
                return Err(Error::Migration {
                    version: m.version,
                    name: m.name.into(),
                    message: "it was changed after it was applied to this database".into(),
                });
            }
            continue;
        }
        sqlx::raw_sql(m.sql(backend))
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::Migration {
                version: m.version,
                name: m.name.into(),
                message: e.to_string(),
            })?;
        sqlx::query(
            "INSERT INTO brightpath_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(sum)
        .bind(jiff::Timestamp::now().to_string())
        .execute(&mut *tx)
        .await?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
    }
    tx.commit().await?;
    status(pool, backend).await
}

pub(super) async fn status(pool: &AnyPool, _backend: Backend) -> Result<Vec<MigrationStatus>> {
    sqlx::query(CREATE).execute(pool).await?;
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, applied_at FROM brightpath_migrations")
            .fetch_all(pool)
            .await?;
    Ok(MIGRATIONS
        .iter()
        .map(|m| MigrationStatus {
            version: m.version,
            name: m.name.into(),
            applied_at: applied
                .iter()
                .find(|(v, _)| *v == m.version)
                .map(|(_, at)| at.clone()),
        })
        .collect())
}
