//! Backends for the conformance suite: a fresh SQLite file, or a fresh
//! PostgreSQL database on the server named by `BRIGHTPATH_TEST_DATABASE_URL`.

#![allow(dead_code)]

use brightpath_core::Store;

pub struct Fresh {
    pub store: Store,
    /// The database's URL, for other processes.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The server's URL and the test database on it, dropped by `finish`.
    pg: Option<(String, String)>,
}

impl Fresh {
    /// Closes the store and drops a PostgreSQL test database, so that test
    /// runs do not pile databases up on a developer's server. (A failed test
    /// keeps its database, to look at.)
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((base, name)) = self.pg {
            let admin = Store::connect(&base)
                .await
                .expect("connect to the PostgreSQL test server");
            admin
                .raw_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .await
                .expect("drop the test database");
            admin.close().await;
        }
    }
}

pub async fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = Store::open(&url).await.expect("open sqlite");
    Fresh {
        store,
        url,
        _dir: Some(dir),
        pg: None,
    }
}

/// A new database on the test server, or `None` to skip (never on CI).
pub async fn postgres() -> Option<Fresh> {
    let Ok(base) = std::env::var("BRIGHTPATH_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but BRIGHTPATH_TEST_DATABASE_URL is not: the PostgreSQL suite must run on CI"
        );
        eprintln!("skipping: BRIGHTPATH_TEST_DATABASE_URL is not set");
        return None;
    };
    let admin = Store::connect(&base)
        .await
        .expect("connect to the PostgreSQL test server");
    let name = format!("bp_test_{}", uuid_like());
    admin
        .raw_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("database URL has a path");
    let url = format!("{prefix}/{name}");
    let store = Store::open(&url).await.expect("open postgres");
    Some(Fresh {
        store,
        url,
        _dir: None,
        pg: Some((base, name)),
    })
}

fn uuid_like() -> String {
    brightpath_core::model::new_id()
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let fresh = super::backends::sqlite().await;
                    super::$name(fresh.store.clone()).await;
                    fresh.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(fresh) = super::backends::postgres().await else { return };
                    super::$name(fresh.store.clone()).await;
                    fresh.finish().await;
                }
            )*
        }
    };
}
pub(crate) use conformance;
