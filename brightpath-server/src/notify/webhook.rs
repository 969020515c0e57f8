//! The webhook: one POST of JSON to an `http://` or `https://` URL with
//! reqwest (rustls, the system's roots plus `ca_file`'s), bounded by a timeout.

use std::time::Duration;

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderValue, USER_AGENT};

use super::{Failure, NotifyError};

/// A checked webhook URL and the client that posts to it.
#[derive(Debug, Clone)]
pub struct WebhookTarget {
    url: Url,
    client: reqwest::Client,
}

/// Longest wait for connecting, sending and reading the answer's head.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The certificates of a PEM file (`ca_file`), read and checked.
pub(crate) fn ca_certificates(path: &str) -> Result<Vec<Vec<u8>>, NotifyError> {
    let bad = |why: String| NotifyError::Config(format!("ca_file {path:?}: {why}"));
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad("no PEM certificate in it".into()));
    }
    Ok(vec![pem])
}

impl WebhookTarget {
    /// Checks `url` (http or https, a host, no credentials) and builds its
    /// client, trusting the certificates of `ca_pem` too.
    pub fn new(url: &str, ca_pem: &[Vec<u8>]) -> Result<Self, NotifyError> {
        let bad = |why: &str| NotifyError::Config(format!("webhook.url {url:?}: {why}"));
        let mut parsed = Url::parse(url).map_err(|_| bad("write http(s)://host[:port]/path"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad("write http(s)://host[:port]/path"));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(bad("no host"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(bad("credentials in the URL are not supported"));
        }
        if url
            .chars()
            .any(|c| c.is_ascii_whitespace() || c.is_ascii_control())
        {
            return Err(bad("spaces or control characters in the URL"));
        }
        // The fragment never goes to the server.
        parsed.set_fragment(None);
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none());
        for pem in ca_pem {
            for cert in reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| NotifyError::Config(format!("ca_file: {e}")))?
            {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .build()
            .map_err(|e| NotifyError::Config(format!("webhook client: {e}")))?;
        Ok(Self {
            url: parsed,
            client,
        })
    }

    /// Scheme, host and port only: the path and query often carry a token.
    pub fn shown(&self) -> String {
        let host = self.url.host_str().unwrap_or_default();
        match self.url.port_or_known_default() {
            Some(port) => format!("{}://{host}:{port}", self.url.scheme()),
            None => format!("{}://{host}", self.url.scheme()),
        }
    }

    /// POSTs `body`; Ok with the status if it was 2xx. Any other status and
    /// every network error is transient: the receiver may be restarting, and
    /// the job's attempts and backoff bound how long we keep trying.
    pub async fn post(&self, body: &[u8], idempotency_key: &str) -> Result<u16, Failure> {
        let answer = self
            .client
            .post(self.url.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header(
                USER_AGENT,
                HeaderValue::from_static(concat!("brightpath/", env!("CARGO_PKG_VERSION"))),
            )
            .header("Idempotency-Key", idempotency_key)
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| Failure::Transient(format!("webhook {}: {}", self.shown(), why(&e))))?;
        let status = answer.status().as_u16();
        if (200..300).contains(&status) {
            Ok(status)
        } else {
            Err(Failure::Transient(format!(
                "webhook {}{} answered HTTP {status}",
                self.shown(),
                self.url.path()
            )))
        }
    }
}

/// A reqwest error with its causes (connect: refused, certificate unknown…).
fn why(e: &reqwest::Error) -> String {
    let mut out = if e.is_timeout() {
        format!("no answer within {} s", TIMEOUT.as_secs())
    } else if e.is_connect() {
        "connect".to_owned()
    } else {
        "send".to_owned()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_urls() {
        let t = WebhookTarget::new("http://127.0.0.1:8080/hooks/bp?x=1#frag", &[]).expect("ok");
        assert_eq!(t.url.as_str(), "http://127.0.0.1:8080/hooks/bp?x=1");
        assert_eq!(t.shown(), "http://127.0.0.1:8080");
        let t = WebhookTarget::new("HTTPS://example.org", &[]).expect("ok");
        assert_eq!(t.shown(), "https://example.org:443");
        let t = WebhookTarget::new("http://[::1]:9000?a", &[]).expect("ok");
        assert_eq!(t.url.as_str(), "http://[::1]:9000/?a");
        for bad in [
            "ftp://x",
            "example.org/hook",
            "http://",
            "http://:80/",
            "http://h:port/",
            "http://u:p@h/",
            "http://[::1/",
            "http://h/a b",
        ] {
            assert!(WebhookTarget::new(bad, &[]).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_ca_file_must_hold_certificates() {
        let dir = tempfile::tempdir().expect("dir");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("write");
        let e = ca_certificates(empty.to_str().expect("utf8")).expect_err("refused");
        assert!(e.to_string().contains("no PEM certificate"), "{e}");
        let e = ca_certificates("/nonexistent/ca.pem").expect_err("refused");
        assert!(e.to_string().contains("ca_file"), "{e}");
    }
}
