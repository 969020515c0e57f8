//! E-mail over SMTP with lettre: plain, STARTTLS (required, never
//! opportunistic) or implicit TLS (`smtp.tls`), with rustls and the same
//! roots as the webhook (plus `ca_file`'s). A login (`smtp.username`,
//! `smtp.password`) is sent only over TLS or to a relay on this machine, since
//! nothing would protect it on the way elsewhere.

use std::time::Duration;

use brightpath_core::config::{SmtpSettings, SmtpTls};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{Failure, NotifyError};

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub from: Mailbox,
    pub tls: SmtpTls,
    /// Extra trusted certificate authorities (PEM files' contents).
    ca_pem: Vec<Vec<u8>>,
    /// The relay's login, if it wants one (the password is kept out of `Debug`).
    login: Option<Credentials>,
}

/// `localhost` or a loopback address.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Longest wait for one SMTP conversation; a stuck server turns into a retry
/// instead of a job that holds its worker slot until the visibility timeout.
const TIMEOUT: Duration = Duration::from_secs(30);

impl SmtpTarget {
    /// The `[smtp]` settings: a host, a port and a sender such as
    /// `BrightPath <plans@example.org>`, and a login for a relay on this machine.
    pub fn from_settings(s: &SmtpSettings) -> Result<Self, NotifyError> {
        Self::with_roots(s, Vec::new())
    }

    /// [`from_settings`](Self::from_settings), trusting the certificates in
    /// `ca_pem` as well for TLS.
    pub fn with_roots(s: &SmtpSettings, ca_pem: Vec<Vec<u8>>) -> Result<Self, NotifyError> {
        let bad = |key: &str, why: String| NotifyError::Config(format!("smtp.{key}: {why}"));
        let host = s
            .host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("host", "not set".into()))?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if host.contains(['/', '@', ' ']) {
            return Err(bad(
                "host",
                format!("{host:?} is not a host name or address"),
            ));
        }
        let from = s.from.as_deref().ok_or_else(|| {
            bad(
                "from",
                "the sender address must be set with smtp.host".into(),
            )
        })?;
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| bad("from", format!("{from:?}: {e}")))?;
        let login = match (&s.username, &s.password) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(bad("password", "set without smtp.username".into()));
            }
            (Some(user), password) => {
                if s.tls == SmtpTls::None && !is_loopback(&host) {
                    return Err(bad(
                        "username",
                        format!(
                            "a login is sent only over TLS (smtp.tls = starttls or tls) or to a relay \
                             on this machine (127.0.0.1, ::1, localhost), not in the clear to {host}"
                        ),
                    ));
                }
                Some(Credentials::new(
                    user.clone(),
                    password.clone().unwrap_or_default(),
                ))
            }
        };
        Ok(Self {
            host,
            port: s.port,
            from,
            tls: s.tls,
            ca_pem,
            login,
        })
    }

    /// lettre's TLS mode: STARTTLS is required, never opportunistic, so a
    /// server that cannot do it fails the delivery instead of getting it in clear.
    fn lettre_tls(&self) -> Result<Tls, Failure> {
        if self.tls == SmtpTls::None {
            return Ok(Tls::None);
        }
        let mut params = TlsParameters::builder(self.host.clone());
        for pem in &self.ca_pem {
            let cert = Certificate::from_pem(pem)
                .map_err(|e| Failure::Permanent(format!("ca_file: {e}")))?;
            params = params.add_root_certificate(cert);
        }
        let params = params
            .build_rustls()
            .map_err(|e| Failure::Permanent(format!("SMTP TLS for {}: {e}", self.host)))?;
        Ok(match self.tls {
            SmtpTls::Tls => Tls::Wrapper(params),
            _ => Tls::Required(params),
        })
    }

    /// The domain for Message-IDs: the sender's, so they are unique to this deployment.
    fn domain(&self) -> &str {
        self.from.email.domain()
    }
}

/// One guardian to mail.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// A Message-ID naming the job and the guardian: the same on every retry of the
/// job, so a mail system or reader that deduplicates by Message-ID shows one copy.
pub fn message_id(job_id: &str, guardian_id: &str, domain: &str) -> String {
    format!("<{job_id}.{guardian_id}@{domain}>")
}

/// Sends one plain-text message per recipient over one transport. Each
/// recipient's outcome is reported separately so one bad address does not
/// hide the others' delivery.
pub async fn send_all(
    target: &SmtpTarget,
    job_id: &str,
    subject: &str,
    text: &str,
    to: &[Recipient],
) -> Vec<(String, Result<(), Failure>)> {
    let tls = match target.lettre_tls() {
        Ok(tls) => tls,
        Err(f) => {
            return to
                .iter()
                .map(|r| (r.email.clone(), Err(f.clone())))
                .collect();
        }
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(target.host.clone())
        .port(target.port)
        .tls(tls)
        .timeout(Some(TIMEOUT));
    if let Some(login) = &target.login {
        builder = builder.credentials(login.clone());
    }
    let transport = builder.build();
    let mut out = Vec::new();
    for r in to {
        let result = send_one(&transport, target, job_id, subject, text, r).await;
        out.push((r.email.clone(), result));
    }
    out
}

async fn send_one(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    target: &SmtpTarget,
    job_id: &str,
    subject: &str,
    text: &str,
    r: &Recipient,
) -> Result<(), Failure> {
    let address = r
        .email
        .parse::<Address>()
        .map_err(|e| Failure::Skipped(format!("{} <{}>: {e}", r.name, r.email)))?;
    let message = Message::builder()
        .from(target.from.clone())
        .to(Mailbox::new(Some(r.name.clone()), address))
        .subject(subject)
        .message_id(Some(message_id(job_id, &r.id, target.domain())))
        .header(ContentType::TEXT_PLAIN)
        .body(text.to_owned())
        .map_err(|e| Failure::Permanent(format!("cannot build the message to {}: {e}", r.email)))?;
    match transport.send(message).await {
        Ok(_) => Ok(()),
        // 5xx (mailbox unknown, policy) will not change by retrying;
        // everything else (refused connection, 4xx, timeouts) may.
        Err(e) if e.is_permanent() => Err(Failure::Permanent(format!(
            "SMTP {}:{} refused mail to {}: {e}",
            target.host, target.port, r.email
        ))),
        Err(e) => Err(Failure::Transient(format!(
            "SMTP {}:{} to {}: {e}",
            target.host, target.port, r.email
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: &str, from: &str) -> SmtpSettings {
        SmtpSettings {
            host: Some(host.into()),
            port: 2525,
            from: Some(from.into()),
            ..Default::default()
        }
    }

    #[test]
    fn reads_the_settings_and_refuses_what_it_cannot_do() {
        let t = SmtpTarget::from_settings(&settings("127.0.0.1", "BrightPath <plans@example.org>"))
            .expect("ok");
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 2525));
        assert_eq!(t.domain(), "example.org");
        assert!(t.login.is_none());
        let err = SmtpTarget::from_settings(&settings("mail", "not an address"))
            .expect_err("bad sender")
            .to_string();
        assert!(err.contains("smtp.from"), "{err}");
        assert!(SmtpTarget::from_settings(&settings("a b", "a@b.c")).is_err());
    }

    #[test]
    fn a_login_goes_only_to_a_relay_on_this_machine() {
        let mut s = settings("localhost", "a@b.c");
        s.username = Some("relay".into());
        s.password = Some("hunter2".into());
        let t = SmtpTarget::from_settings(&s).expect("loopback");
        assert!(t.login.is_some());
        assert!(!format!("{t:?}").contains("hunter2"));
        for host in ["127.0.0.1", "::1", "[::1]"] {
            s.host = Some(host.into());
            assert!(SmtpTarget::from_settings(&s).is_ok(), "{host}");
        }
        s.host = Some("mail.example.org".into());
        let err = SmtpTarget::from_settings(&s)
            .expect_err("remote")
            .to_string();
        assert!(err.contains("smtp.username"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        s.tls = SmtpTls::Starttls;
        assert!(
            SmtpTarget::from_settings(&s).is_ok(),
            "a login over STARTTLS"
        );
        s.username = None;
        assert!(SmtpTarget::from_settings(&s).is_err());
    }
}
