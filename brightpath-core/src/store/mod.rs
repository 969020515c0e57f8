//! The store: one SQL schema kept on an embedded SQLite file or a shared
//! PostgreSQL, chosen by URL. All reads and writes go through a [`Tx`]: it is a
//! database transaction that rolls back when dropped unless committed, and every
//! method takes the family (tenant) it works in.
//!
//! The SQL is portable (TEXT, BIGINT, `$n` placeholders) and runs through
//! `sqlx::Any`; the backends differ only in their migration folders and in
//! connection set-up. The conformance suite (`tests/integration/conformance.rs`) runs the
//! same tests against each.

mod behind;
pub mod bulk;
mod chunks;
mod coops;
mod courses;
mod dump;
mod events;
mod learned;
mod migrate;
mod people;
mod plans;
mod ratings;
mod roster;
mod rows;
mod uploads;
mod web;
mod years;

use std::str::FromStr;
use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Transaction};

use crate::error::{Error, Result};

pub use behind::{Behind, Fut};
pub use bulk::BulkInsert;
pub use chunks::{ChunkReader, ChunkWriter};
pub use dump::TABLES;
pub use migrate::{MigrationStatus, migrations};
pub use plans::ChangeRecord;
pub use roster::{NewPerson, RosterRecord, Shrink};
pub use uploads::RosterUpload;
pub use web::{ApiToken, WebToken};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(Error::invalid(
                "database_url",
                format!("{} is not a supported database URL", redact_url(url)),
            )
            .with_hint("use sqlite:///path/to/file.db or postgres://user:password@host/db"))
        }
    }
}

/// A URL with any password replaced by `***`, for messages and `config show`.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.split_once('@')
        && let Some((user, _)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// How long to wait for the database before saying it cannot be reached,
/// unless the caller says (the `connect_timeout` setting).
pub const DEFAULT_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// One direct connection, so that a server that is down is reported once and
/// by its cause ("connection refused"), not as a pool that timed out.
async fn probe(options: &AnyConnectOptions, url: &str, timeout: std::time::Duration) -> Result<()> {
    use sqlx::ConnectOptions;
    let place = host_of(url);
    let unreachable = |cause: String| Error::Unreachable {
        backend: "PostgreSQL",
        place: place.clone(),
        cause,
    };
    match tokio::time::timeout(timeout, options.connect()).await {
        Err(_) => Err(unreachable(format!(
            "no answer within {} s",
            timeout.as_secs()
        ))),
        Ok(Err(sqlx::Error::Io(e))) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Err(unreachable("connection refused".into()))
        }
        Ok(Err(sqlx::Error::Io(e))) => Err(unreachable(e.to_string())),
        Ok(Err(e)) => Err(Error::Database(e)),
        Ok(Ok(conn)) => {
            use sqlx::Connection;
            // Closing is a courtesy to the server; the answer is already in.
            let _ = conn.close().await;
            Ok(())
        }
    }
}

/// `host:port` of a database URL, without user or password.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest).to_string()
}

/// The actor of a store handle nobody named.
pub const DEFAULT_ACTOR: &str = "brightpath";

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Who is changing things through this handle: recorded in the history
    /// of every change made through it.
    actor: Arc<str>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Store {
    /// Opens the database at `url` (creating an SQLite file and its folder if
    /// needed) and applies any pending migrations.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with(url, DEFAULT_CONNECT_TIMEOUT).await
    }

    /// [`open`](Self::open), waiting at most `timeout` for the database.
    pub async fn open_with(url: &str, timeout: std::time::Duration) -> Result<Store> {
        let store = Store::connect_with(url, timeout).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens without migrating (for `db status`).
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, DEFAULT_CONNECT_TIMEOUT).await
    }

    /// [`connect`](Self::connect), waiting at most `timeout` for the database.
    pub async fn connect_with(url: &str, timeout: std::time::Duration) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| Error::invalid("database_url", format!("{}: {e}", redact_url(&url))))?;
        let max = match backend {
            Backend::Sqlite if url.contains(":memory:") => 1,
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        };
        if backend == Backend::Postgres {
            probe(&options, &url, timeout).await?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(timeout)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Foreign keys are off by default in SQLite; WAL lets readers
                        // run beside a writer; the timeout waits out a short write lock.
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        // In WAL mode NORMAL stays consistent after a crash and
                        // syncs at checkpoints, not at every commit (a power
                        // cut may lose the last commits, never corrupt).
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Store {
            pool,
            backend,
            actor: Arc::from(DEFAULT_ACTOR),
        })
    }

    /// The same database, with changes recorded as made by `actor` (a
    /// parent's name, an API user).
    pub fn acting_as(&self, actor: &str) -> Store {
        let actor = actor.trim();
        Store {
            actor: Arc::from(if actor.is_empty() {
                DEFAULT_ACTOR
            } else {
                actor
            }),
            ..self.clone()
        }
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool now: (open connections, idle ones, the most it opens).
    pub fn pool_stats(&self) -> (u32, u32, u32) {
        (
            self.pool.size(),
            u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            self.pool.options().get_max_connections(),
        )
    }

    /// Answers when the database does (for readiness checks).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    pub async fn migrate(&self) -> Result<Vec<MigrationStatus>> {
        migrate::apply(&self.pool, self.backend).await
    }

    pub async fn migration_status(&self) -> Result<Vec<MigrationStatus>> {
        migrate::status(&self.pool, self.backend).await
    }

    /// Runs one statement outside any transaction (e.g. `CREATE DATABASE` for
    /// tests and operators). Not for tenant data.
    pub async fn raw_execute(&self, sql: &str) -> Result<()> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn prepare_sqlite_url(url: &str) -> Result<String> {
    if url.contains(":memory:") {
        return Ok(url.to_string());
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() {
        return Err(
            Error::invalid("database_url", "the SQLite URL names no file")
                .with_hint("use sqlite:///absolute/path/brightpath.db"),
        );
    }
    if let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    Ok(if url.contains('?') {
        url.to_string()
    } else {
        format!("sqlite://{path}?mode=rwc")
    })
}

/// The store's transactions are core's own: surfaces call services (and list
/// through `services::lists`), so every rule stays in one place. Tests and
/// benchmarks reach them with the `test-support` feature.
macro_rules! transactions {
    ($vis:vis) => {
        impl Store {
        /// Starts a transaction for reading and writing. Dropping the [`Tx`]
        /// without [`Tx::commit`] rolls it back. On SQLite it takes the write lock
        /// at once (`BEGIN IMMEDIATE`): a transaction that read first and wrote
        /// later could otherwise fail when another writer committed in between.
        $vis async fn tx(&self) -> Result<Tx> {
            let inner = match self.backend {
                Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
                Backend::Postgres => self.pool.begin().await?,
            };
            Ok(Tx {
                inner,
                backend: self.backend,
                actor: self.actor.clone(),
            })
        }

        /// Starts a write transaction on one family's school and holds that
        /// family's write lock until it ends: two writers of one family (two
        /// parents, two planners, a worker) run one after the other, so a service
        /// that reads, decides and writes never acts on what another changed in
        /// between. SQLite's `BEGIN IMMEDIATE` already serialises all writers; on
        /// PostgreSQL (READ COMMITTED) the family's row is locked `FOR UPDATE`.
        $vis async fn write(&self, family: &str) -> Result<Tx> {
            let mut tx = self.tx().await?;
            if self.backend == Backend::Postgres {
                let found: Option<String> =
                    sqlx::query_scalar("SELECT id FROM families WHERE id = $1 FOR UPDATE")
                        .bind(family)
                        .fetch_optional(tx.conn())
                        .await?;
                if found.is_none() {
                    return Err(Error::not_found("family", family));
                }
            }
            Ok(tx)
        }

        /// Starts a transaction that only reads (it never blocks writers on SQLite).
        $vis async fn read(&self) -> Result<Tx> {
            let inner = self.pool.begin().await?;
            Ok(Tx {
                inner,
                backend: self.backend,
                actor: self.actor.clone(),
            })
        }
        }
    };
}

#[cfg(feature = "test-support")]
transactions!(pub);
#[cfg(not(feature = "test-support"))]
transactions!(pub(crate));

/// A transaction on the store, scoped per call to one family.
pub struct Tx {
    inner: Transaction<'static, Any>,
    backend: Backend,
    actor: Arc<str>,
}

impl Tx {
    /// Who makes the changes of this transaction (see [`Store::acting_as`]).
    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }

    /// Runs a versioned UPDATE and turns "no row changed" into `Conflict` (stale
    /// version) or `NotFound` (no such row in this family).
    async fn check_versioned(
        &mut self,
        table: &'static str,
        kind: &'static str,
        family: &str,
        id: &str,
        expected: i64,
        affected: u64,
    ) -> Result<()> {
        if affected > 0 {
            return Ok(());
        }
        let sql = format!("SELECT version FROM {table} WHERE family_id = $1 AND id = $2");
        let current: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(family)
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        match current {
            None => Err(Error::not_found(kind, id)),
            Some(v) => Err(Error::conflict(format!(
                "{kind} {id} was changed by someone else (now version {v}, this edit was based on version {expected})"
            ))
            .with_hint("reload it and make the change again")),
        }
    }
}

/// [`pick`] for a guardian or child: failing that, by a first name no one
/// else in the family has ("Ada" for "Ada Rivera", as an import names them).
pub(crate) fn pick_person<'a, T>(
    items: &'a [T],
    key: &str,
    kind: &'static str,
    id: impl Fn(&T) -> &str,
    name: impl Fn(&T) -> &str,
) -> Result<&'a T> {
    let missing = match pick(items, key, kind, &id, &name) {
        Err(e @ Error::NotFound { .. }) => e,
        found => return found,
    };
    let first = |x: &T| {
        name(x)
            .split_whitespace()
            .next()
            .is_some_and(|f| f.eq_ignore_ascii_case(key))
    };
    let by_first: Vec<&T> = items.iter().filter(|x| first(x)).collect();
    match by_first.as_slice() {
        [one] => Ok(one),
        [] => Err(missing),
        _ => Err(Error::invalid(
            kind,
            format!("{key:?} is the first name of more than one {kind}"),
        )
        .with_hint("give the whole name")),
    }
}

/// Finds one item by exact id, case-insensitive name, or the unique start
/// of its id (or the end a time-ordered id's short form shows).
pub(crate) fn pick<'a, T>(
    items: &'a [T],
    key: &str,
    kind: &'static str,
    id: impl Fn(&T) -> &str,
    name: impl Fn(&T) -> &str,
) -> Result<&'a T> {
    if let Some(x) = items.iter().find(|x| id(x) == key) {
        return Ok(x);
    }
    let by_name: Vec<&T> = items
        .iter()
        .filter(|x| name(x).eq_ignore_ascii_case(key))
        .collect();
    if let [one] = by_name.as_slice() {
        return Ok(one);
    }
    let by_prefix: Vec<&T> = if key.len() >= 4 {
        items
            .iter()
            .filter(|x| crate::model::id_matches(id(x), key))
            .collect()
    } else {
        Vec::new()
    };
    match by_prefix.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::not_found(kind, key).with_remedy(crate::Remedy::List(kind))),
        _ => Err(
            Error::invalid(kind, format!("{key:?} matches more than one {kind}"))
                .with_hint("give more characters of the id"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_found_by_a_first_name_no_one_else_has() {
        let people = [
            ("1", "Ada Rivera"),
            ("2", "Ben Rivera"),
            ("3", "Ben Okafor"),
        ];
        let find = |key: &str| pick_person(&people, key, "student", |p| p.0, |p| p.1).map(|p| p.0);
        assert_eq!(find("ada").ok(), Some("1"));
        assert_eq!(find("Ben Okafor").ok(), Some("3"));
        let two = find("Ben").expect_err("two Bens");
        assert!(two.to_string().contains("more than one"), "{two}");
        assert!(matches!(find("Cora"), Err(Error::NotFound { .. })));
    }
}
