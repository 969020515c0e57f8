//! Backups in an S3-compatible store, against a local moto server with
//! signature checking on (`moto_server`, PyPI `moto[server]`): the demo
//! school goes up and comes back into a fresh database, a wrong secret is
//! refused, and retention deletes backups. (moto's signature check rejects
//! `/` in a signed query, which AWS requires encoded and boto3 fails on too,
//! so prefixes here have none; presigned links are checked against AWS's
//! published example in `objects`' unit tests instead.)
//! Skipped with a note when `moto_server` is missing, except on CI.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::http;
use http::free_port;

use brightpath_core::Store;
use brightpath_core::config::S3Settings;
use brightpath_core::services::{backup, demo, lists};
use brightpath_server::backups::{from_object_store, to_object_store};
use brightpath_server::objects::{ObjectStore, expire};

struct Moto {
    child: Child,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A moto server that checks signatures after its first four calls, which
/// make a user with a key and an allow-all policy, and the bucket.
async fn moto() -> Option<(Moto, S3Settings)> {
    let found = Command::new("moto_server")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if found.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but moto_server is not installed (pip install 'moto[server]')"
        );
        eprintln!("skipping: moto_server is not installed (pip install 'moto[server]')");
        return None;
    }
    let port = free_port();
    let child = Command::new("moto_server")
        .args(["-p", &port.to_string()])
        .env("INITIAL_NO_AUTH_ACTION_COUNT", "4")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    let endpoint = format!("http://127.0.0.1:{port}");
    let moto = Moto { child };
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http.get(&endpoint).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // IAM wants some Authorization header even while it does not check it.
    let iam = |form: Vec<(&'static str, String)>| {
        let http = http.clone();
        let endpoint = endpoint.clone();
        async move {
            http.post(&endpoint)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
                .form(&form)
                .send()
                .await
                .expect("iam")
                .text()
                .await
                .expect("iam text")
        }
    };
    let v = || ("Version", "2010-05-08".to_owned());
    iam(vec![
        ("Action", "CreateUser".into()),
        ("UserName", "bp".into()),
        v(),
    ])
    .await;
    let key = iam(vec![
        ("Action", "CreateAccessKey".into()),
        ("UserName", "bp".into()),
        v(),
    ])
    .await;
    let field = |name: &str| {
        let start = key.find(&format!("<{name}>")).expect(name) + name.len() + 2;
        key[start..start + key[start..].find('<').expect("end")].to_owned()
    };
    let (access, secret) = (field("AccessKeyId"), field("SecretAccessKey"));
    let policy =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    iam(vec![
        ("Action", "PutUserPolicy".into()),
        ("UserName", "bp".into()),
        ("PolicyName", "all".into()),
        ("PolicyDocument", policy.into()),
        v(),
    ])
    .await;
    let settings = S3Settings {
        endpoint: Some(endpoint),
        region: "us-east-1".into(),
        access_key: Some(access),
        secret_key: Some(secret),
    };
    ObjectStore::from_settings(&settings)
        .expect("settings")
        .create_bucket("coop-files")
        .await
        .expect("bucket");
    Some((moto, settings))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_go_to_the_bucket_and_come_back() {
    let Some((moto, s3)) = moto().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let laptop = Store::open(&format!("sqlite://{}", dir.path().join("a.db").display()))
        .await
        .expect("store");
    let today = jiff::civil::date(2026, 12, 1);
    demo::build(&laptop, today).await.expect("demo");

    let up = to_object_store(&laptop, &s3, "s3://coop-files/backups/", None)
        .await
        .expect("upload");
    assert!(
        up.url.starts_with("s3://coop-files/backups/brightpath-") && up.url.ends_with(".bpbackup"),
        "{}",
        up.url
    );
    let objects = ObjectStore::from_settings(&s3).expect("settings");
    let listed = objects.list("coop-files", "backups").await.expect("list");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].size as usize, up.bytes);

    // Back into a fresh database: the same rows.
    let body = from_object_store(&s3, &up.url).await.expect("download");
    let server = Store::open(&format!("sqlite://{}", dir.path().join("b.db").display()))
        .await
        .expect("store");
    backup::restore(&server, body.as_slice())
        .await
        .expect("restore");
    let mut again = Vec::new();
    backup::backup(&server, None, &mut again)
        .await
        .expect("backup");
    let rows = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .split_once('\n')
            .expect("lines")
            .1
            .to_owned()
    };
    assert_eq!(rows(&again), rows(&body));
    assert_eq!(lists::families(&server).await.expect("families").len(), 1);

    // A wrong secret is refused by the store's signature check.
    let wrong = S3Settings {
        secret_key: Some("not-the-secret".into()),
        ..s3.clone()
    };
    let e = to_object_store(&laptop, &wrong, "s3://coop-files/backups/x.bpbackup", None)
        .await
        .expect_err("refused")
        .to_string();
    assert!(e.contains("SignatureDoesNotMatch"), "{e}");

    let key = up.url.trim_start_matches("s3://coop-files/");
    // Retention: backups older than the cutoff go, other files stay.
    objects
        .put("coop-files", "backups/notes.txt", b"keep".to_vec())
        .await
        .expect("put");
    let future = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let gone = expire(&objects, "coop-files", "backups", ".bpbackup", future)
        .await
        .expect("expire");
    assert_eq!(gone, vec![key.to_owned()]);
    let left: Vec<_> = objects
        .list("coop-files", "backups")
        .await
        .expect("list")
        .into_iter()
        .map(|o| o.key)
        .collect();
    assert_eq!(left, vec!["backups/notes.txt".to_owned()]);
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    assert!(
        expire(&objects, "coop-files", "backups", "", past)
            .await
            .expect("expire")
            .is_empty()
    );
    drop(moto);
}
