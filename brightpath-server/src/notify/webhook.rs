//! The webhook: one HTTP/1.1 POST of JSON to an `http://` URL, written by hand
//! over a TCP stream. A full HTTP client (reqwest, hyper) would cost more build
//! time than the whole feature; one request with `Connection: close` and a
//! status line to read is all a webhook needs.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use brightpath_core::config::split_host_port;

use super::{Failure, NotifyError};

/// A parsed `http://host[:port][/path][?query]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    pub host: String,
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

/// Longest wait for connecting, sending and reading the status line.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The longest status line we read; anything longer is not an HTTP server.
const MAX_STATUS_LINE: u64 = 8 * 1024;

impl WebhookTarget {
    pub fn parse(url: &str) -> Result<Self, NotifyError> {
        let bad = |why: &str| NotifyError::Config(format!("webhook.url {url:?}: {why}"));
        let rest = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => {
                return Err(bad(
                    "https:// is not supported (this build has no TLS); use http:// to a local relay",
                ));
            }
            _ => return Err(bad("write http://host[:port]/path")),
        };
        // The fragment never goes to the server.
        let rest = rest.split('#').next().unwrap_or_default();
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(split);
        if authority.contains('@') {
            return Err(bad("credentials in the URL are not supported"));
        }
        if path
            .chars()
            .any(|c| c.is_ascii_whitespace() || c.is_ascii_control())
        {
            return Err(bad("spaces or control characters in the path"));
        }
        let (host, port) = split_host_port(authority, 80).map_err(|e| bad(&e))?;
        let path = match path {
            "" => "/".to_owned(),
            p if p.starts_with('?') => format!("/{p}"),
            p => p.to_owned(),
        };
        Ok(Self { host, port, path })
    }

    /// The `Host` header: brackets back around IPv6, the port unless it is 80.
    fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == 80 {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// The request, headers and body, exactly as sent.
    fn request(&self, body: &[u8], idempotency_key: &str) -> Vec<u8> {
        let mut req = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: brightpath/{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nIdempotency-Key: {}\r\nConnection: close\r\n\r\n",
            self.path,
            self.host_header(),
            env!("CARGO_PKG_VERSION"),
            body.len(),
            idempotency_key,
        )
        .into_bytes();
        req.extend_from_slice(body);
        req
    }

    /// POSTs `body`; Ok with the status if it was 2xx. Any other status and
    /// every network error is transient: the receiver may be restarting, and
    /// the job's attempts and backoff bound how long we keep trying.
    pub async fn post(&self, body: &[u8], idempotency_key: &str) -> Result<u16, Failure> {
        let exchange = async {
            let mut stream = TcpStream::connect((self.host.as_str(), self.port))
                .await
                .map_err(|e| format!("connect: {e}"))?;
            stream
                .write_all(&self.request(body, idempotency_key))
                .await
                .map_err(|e| format!("send: {e}"))?;
            let mut line = String::new();
            BufReader::new(stream)
                .take(MAX_STATUS_LINE)
                .read_line(&mut line)
                .await
                .map_err(|e| format!("read the response: {e}"))?;
            status_of(&line).ok_or_else(|| format!("not an HTTP response: {:?}", line.trim_end()))
        };
        let status = tokio::time::timeout(TIMEOUT, exchange)
            .await
            .map_err(|_| format!("no answer within {} s", TIMEOUT.as_secs()))
            .and_then(|r| r)
            .map_err(|e| Failure::Transient(format!("webhook {}:{}: {e}", self.host, self.port)))?;
        if (200..300).contains(&status) {
            Ok(status)
        } else {
            Err(Failure::Transient(format!(
                "webhook {}:{}{} answered HTTP {status}",
                self.host, self.port, self.path
            )))
        }
    }
}

/// The code of a status line such as `HTTP/1.1 204 No Content`.
fn status_of(line: &str) -> Option<u16> {
    let mut words = line.split_whitespace();
    if !words.next()?.starts_with("HTTP/") {
        return None;
    }
    words.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_http_urls() {
        let t = WebhookTarget::parse("http://127.0.0.1:8080/hooks/bp?x=1#frag").expect("ok");
        assert_eq!(
            t,
            WebhookTarget {
                host: "127.0.0.1".into(),
                port: 8080,
                path: "/hooks/bp?x=1".into()
            }
        );
        let t = WebhookTarget::parse("HTTP://example.org").expect("ok");
        assert_eq!(
            (t.port, t.path.as_str(), t.host_header().as_str()),
            (80, "/", "example.org")
        );
        let t = WebhookTarget::parse("http://[::1]:9000?a").expect("ok");
        assert_eq!((t.host.as_str(), t.path.as_str()), ("::1", "/?a"));
        assert_eq!(t.host_header(), "[::1]:9000");
        for bad in [
            "https://example.org/",
            "ftp://x",
            "example.org/hook",
            "http://",
            "http://:80/",
            "http://h:0/",
            "http://h:port/",
            "http://u:p@h/",
            "http://[::1/",
            "http://h/a b",
        ] {
            assert!(WebhookTarget::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_status_lines() {
        assert_eq!(status_of("HTTP/1.1 204 No Content\r\n"), Some(204));
        assert_eq!(status_of("HTTP/1.0 500\r\n"), Some(500));
        assert_eq!(status_of("SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(status_of(""), None);
    }

    #[test]
    fn request_has_the_headers_a_receiver_needs() {
        let t = WebhookTarget::parse("http://h:81/x").expect("ok");
        let req = String::from_utf8(t.request(b"{\"a\":1}", "job-1")).expect("utf8");
        assert!(
            req.starts_with("POST /x HTTP/1.1\r\nHost: h:81\r\n"),
            "{req}"
        );
        assert!(req.contains("\r\nContent-Type: application/json\r\n"));
        assert!(req.contains("\r\nContent-Length: 7\r\n"));
        assert!(req.contains("\r\nIdempotency-Key: job-1\r\n"));
        assert!(req.ends_with("\r\n\r\n{\"a\":1}"));
    }
}
