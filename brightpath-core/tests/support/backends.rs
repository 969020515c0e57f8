//! Backends for the conformance suite: a fresh SQLite file, or a fresh
//! PostgreSQL database on the server named by `BRIGHTPATH_TEST_DATABASE_URL`.

#![allow(dead_code)]

use brightpath_core::Store;

pub struct Fresh {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = Store::open(&url).await.expect("open sqlite");
    Fresh {
        store,
        _dir: Some(dir),
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
    let store = Store::open(&format!("{prefix}/{name}"))
        .await
        .expect("open postgres");
    Some(Fresh { store, _dir: None })
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
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(fresh) = super::backends::postgres().await else { return };
                    super::$name(fresh.store.clone()).await;
                }
            )*
        }
    };
}
pub(crate) use conformance;
