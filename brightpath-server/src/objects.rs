//! A small client of S3-compatible object stores (DigitalOcean Spaces, MinIO,
//! AWS): put, get, list and delete objects, and presigned GET links that
//! expire, with AWS Signature Version 4 over the reqwest client already in the
//! build. Path-style addressing (`ENDPOINT/BUCKET/KEY`), which every such
//! store accepts.

use std::time::Duration;

use brightpath_core::config::S3Settings;
use hmac::{Hmac, Mac};
use reqwest::{Method, Url};
use sha2::{Digest, Sha256};

/// Why an object-store call failed.
#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    #[error("{0}")]
    Config(String),
    #[error("object store {op} {bucket}/{key}: {why}")]
    Request {
        op: &'static str,
        bucket: String,
        key: String,
        why: String,
    },
}

/// `s3://BUCKET/KEY` split into its parts (KEY may be empty or a prefix).
pub fn parse_s3_url(url: &str) -> Result<(String, String), ObjectError> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| ObjectError::Config(format!("{url:?}: write s3://BUCKET/KEY")))?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    let valid = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
    if bucket.len() < 3 || !bucket.chars().all(valid) {
        return Err(ObjectError::Config(format!(
            "{url:?}: {bucket:?} is not a bucket name (3-63 lower-case letters, digits, '-' or '.')"
        )));
    }
    Ok((bucket.to_owned(), key.to_owned()))
}

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    /// RFC 3339, as the store reports it.
    pub last_modified: String,
    pub size: u64,
}

/// Deletes the objects under `prefix` whose key ends with `suffix` and that
/// were modified before `cutoff` (as the store reports them). Returns the keys deleted.
pub async fn expire(
    store: &ObjectStore,
    bucket: &str,
    prefix: &str,
    suffix: &str,
    cutoff: jiff::Timestamp,
) -> Result<Vec<String>, ObjectError> {
    let mut gone = Vec::new();
    for o in store.list(bucket, prefix).await? {
        let old = o
            .last_modified
            .parse::<jiff::Timestamp>()
            .is_ok_and(|t| t < cutoff);
        if old && o.key.ends_with(suffix) {
            store.delete(bucket, &o.key).await?;
            gone.push(o.key);
        }
    }
    Ok(gone)
}

/// A configured object store.
#[derive(Clone)]
pub struct ObjectStore {
    endpoint: Url,
    region: String,
    access_key: String,
    secret_key: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for ObjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectStore")
            .field("endpoint", &self.endpoint.as_str())
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

const TIMEOUT: Duration = Duration::from_secs(120);

impl ObjectStore {
    /// The `[s3]` settings: an endpoint, a region and a key pair.
    pub fn from_settings(s: &S3Settings) -> Result<Self, ObjectError> {
        let need = |key: &str, v: &Option<String>| {
            v.clone().filter(|v| !v.is_empty()).ok_or_else(|| {
                ObjectError::Config(format!(
                    "s3.{key} is not set (BRIGHTPATH_S3__{}); an s3:// destination needs s3.endpoint, s3.access_key and s3.secret_key",
                    key.to_ascii_uppercase()
                ))
            })
        };
        let endpoint = need("endpoint", &s.endpoint)?;
        let endpoint = Url::parse(&endpoint)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                ObjectError::Config(format!(
                    "s3.endpoint {endpoint:?}: write https://HOST[:PORT]"
                ))
            })?;
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| ObjectError::Config(format!("object store client: {e}")))?;
        Ok(Self {
            endpoint,
            region: s.region.clone(),
            access_key: need("access_key", &s.access_key)?,
            secret_key: need("secret_key", &s.secret_key)?,
            client,
        })
    }

    /// Makes a bucket (tests and first set-up; Terraform makes the real one).
    pub async fn create_bucket(&self, bucket: &str) -> Result<(), ObjectError> {
        self.send("create", Method::PUT, bucket, "", &[], Vec::new())
            .await?;
        Ok(())
    }

    /// Stores `body` at `bucket/key`.
    pub async fn put(&self, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), ObjectError> {
        self.send("put", Method::PUT, bucket, key, &[], body)
            .await?;
        Ok(())
    }

    /// The object at `bucket/key`.
    pub async fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, ObjectError> {
        self.send("get", Method::GET, bucket, key, &[], Vec::new())
            .await
    }

    /// Removes `bucket/key` (no error when it is already gone).
    pub async fn delete(&self, bucket: &str, key: &str) -> Result<(), ObjectError> {
        self.send("delete", Method::DELETE, bucket, key, &[], Vec::new())
            .await?;
        Ok(())
    }

    /// Every object whose key starts with `prefix`.
    pub async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut query = vec![("list-type", "2".to_owned()), ("prefix", prefix.to_owned())];
            if let Some(t) = &token {
                query.push(("continuation-token", t.clone()));
            }
            let body = self
                .send("list", Method::GET, bucket, "", &query, Vec::new())
                .await?;
            let xml = String::from_utf8_lossy(&body);
            for contents in xml.split("<Contents>").skip(1) {
                out.push(ObjectInfo {
                    key: xml_unescape(tag(contents, "Key").unwrap_or_default()),
                    last_modified: tag(contents, "LastModified").unwrap_or_default().to_owned(),
                    size: tag(contents, "Size")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0),
                });
            }
            match tag(&xml, "NextContinuationToken") {
                Some(t) if tag(&xml, "IsTruncated") == Some("true") => {
                    token = Some(xml_unescape(t))
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// A link that GETs `bucket/key` without credentials until `expires`
    /// (at most 7 days) have passed.
    pub fn presigned_get(
        &self,
        bucket: &str,
        key: &str,
        expires: Duration,
    ) -> Result<Url, ObjectError> {
        let secs = expires.as_secs().clamp(1, 7 * 24 * 3600);
        Ok(self.presign(self.url(bucket, key), jiff::Timestamp::now(), secs))
    }

    /// Query-string authentication of a GET of `url` from `now` for `secs`.
    fn presign(&self, mut url: Url, now: jiff::Timestamp, secs: u64) -> Url {
        let (date, stamp) = amz_dates(now);
        let scope = format!("{date}/{}/s3/aws4_request", self.region);
        let mut query = vec![
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256".to_owned()),
            ("X-Amz-Credential", format!("{}/{scope}", self.access_key)),
            ("X-Amz-Date", stamp.clone()),
            ("X-Amz-Expires", secs.to_string()),
            ("X-Amz-SignedHeaders", "host".to_owned()),
        ];
        let canonical = format!(
            "GET\n{}\n{}\nhost:{}\n\nhost\nUNSIGNED-PAYLOAD",
            url.path(),
            canonical_query(&query),
            host_header(&url)
        );
        let signature = self.signature(&date, &stamp, &scope, &canonical);
        query.push(("X-Amz-Signature", signature));
        url.set_query(Some(&canonical_query(&query)));
        url
    }

    fn url(&self, bucket: &str, key: &str) -> Url {
        let mut url = self.endpoint.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!(
            "{base}/{}/{}",
            uri_encode(bucket, false),
            uri_encode(key, true)
        ));
        url
    }

    async fn send(
        &self,
        op: &'static str,
        method: Method,
        bucket: &str,
        key: &str,
        query: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Vec<u8>, ObjectError> {
        let failed = |why: String| ObjectError::Request {
            op,
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            why,
        };
        let mut url = self.url(bucket, key);
        let query_text = canonical_query(query);
        if !query.is_empty() {
            url.set_query(Some(&query_text));
        }
        let (date, stamp) = amz_dates(jiff::Timestamp::now());
        let scope = format!("{date}/{}/s3/aws4_request", self.region);
        let payload = hex(&Sha256::digest(&body));
        let host = host_header(&url);
        let canonical = format!(
            "{method}\n{}\n{query_text}\nhost:{host}\nx-amz-content-sha256:{payload}\nx-amz-date:{stamp}\n\nhost;x-amz-content-sha256;x-amz-date\n{payload}",
            url.path()
        );
        let signature = self.signature(&date, &stamp, &scope, &canonical);
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}",
            self.access_key
        );
        let answer = self
            .client
            .request(method, url)
            .header("x-amz-date", &stamp)
            .header("x-amz-content-sha256", &payload)
            .header("authorization", auth)
            .body(body)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        let status = answer.status();
        let bytes = answer.bytes().await.map_err(|e| failed(e.to_string()))?;
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        let text = String::from_utf8_lossy(&bytes);
        let code = tag(&text, "Code").unwrap_or("no error code");
        let message = tag(&text, "Message").unwrap_or("");
        Err(failed(
            format!("HTTP {} {code} {message}", status.as_u16())
                .trim_end()
                .to_owned(),
        ))
    }

    fn signature(&self, date: &str, stamp: &str, scope: &str, canonical: &str) -> String {
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let k = hmac(
            format!("AWS4{}", self.secret_key).as_bytes(),
            date.as_bytes(),
        );
        let k = hmac(&k, self.region.as_bytes());
        let k = hmac(&k, b"s3");
        let k = hmac(&k, b"aws4_request");
        hex(&hmac(&k, to_sign.as_bytes()))
    }
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `YYYYMMDD` and `YYYYMMDDTHHMMSSZ` in UTC.
fn amz_dates(now: jiff::Timestamp) -> (String, String) {
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    (stamp[..8].to_owned(), stamp)
}

fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    }
}

/// SigV4's URI encoding: unreserved characters as they are, the rest as %XX;
/// `/` kept in object keys.
fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn canonical_query(query: &[(&str, String)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (uri_encode(k, false), uri_encode(v, false)))
        .collect();
    pairs.sort();
    pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The text of the first `<name>…</name>` in `xml`.
fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{name}>"))? + name.len() + 2;
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(&xml[start..end])
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_urls() {
        assert_eq!(
            parse_s3_url("s3://coop-files/backups/a.bpbackup").expect("ok"),
            ("coop-files".into(), "backups/a.bpbackup".into())
        );
        assert_eq!(parse_s3_url("s3://coop-files").expect("ok").1, "");
        for bad in ["coop/x", "s3://A_B/x", "s3://ab/x", "https://x/y"] {
            assert!(parse_s3_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn encoding_follows_sigv4() {
        assert_eq!(uri_encode("a b/c~d+e", true), "a%20b/c~d%2Be");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
        assert_eq!(
            canonical_query(&[("prefix", "b/".into()), ("list-type", "2".into())]),
            "list-type=2&prefix=b%2F"
        );
        assert_eq!(tag("<a><Key>x&amp;y</Key></a>", "Key"), Some("x&amp;y"));
        assert_eq!(xml_unescape("x&amp;y"), "x&y");
    }

    /// AWS's published example of a presigned GET (examplebucket, test.txt,
    /// 2013-05-24, 86400 s, us-east-1).
    #[test]
    fn presigning_matches_the_published_example() {
        let store = ObjectStore::from_settings(&S3Settings {
            endpoint: Some("https://examplebucket.s3.amazonaws.com".into()),
            region: "us-east-1".into(),
            access_key: Some("AKIAIOSFODNN7EXAMPLE".into()),
            secret_key: Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into()),
        })
        .expect("settings");
        let url = Url::parse("https://examplebucket.s3.amazonaws.com/test.txt").expect("url");
        let now: jiff::Timestamp = "2013-05-24T00:00:00Z".parse().expect("time");
        let signed = store.presign(url, now, 86400);
        assert!(
            signed.as_str().ends_with(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404&X-Amz-SignedHeaders=host"
            ),
            "{signed}"
        );
    }

    /// The signing key chain of AWS's published SigV4 example (secret
    /// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam).
    #[test]
    fn signing_key_matches_the_published_example() {
        let k = hmac(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", b"20120215");
        let k = hmac(&k, b"us-east-1");
        let k = hmac(&k, b"iam");
        let k = hmac(&k, b"aws4_request");
        assert_eq!(
            hex(&k),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }
}
