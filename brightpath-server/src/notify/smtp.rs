//! E-mail over plain SMTP with lettre. TLS is left out on purpose: its crates
//! (rustls and a crypto provider, or OpenSSL) would double the worker's build
//! time, and a deployment that needs TLS or authentication points
//! `BRIGHTPATH_SMTP_URL` at a local relay (Postfix, msmtpd…) that has them.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{Failure, NotifyError};

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub from: Mailbox,
}

/// Longest wait for one SMTP conversation; a stuck server turns into a retry
/// instead of a job that holds its worker slot until the visibility timeout.
const TIMEOUT: Duration = Duration::from_secs(30);

impl SmtpTarget {
    /// `smtp://host[:port]` (port 25 by default) and a sender such as
    /// `BrightPath <plans@example.org>`.
    pub fn parse(url: &str, from: &str) -> Result<Self, NotifyError> {
        let bad = |why: &str| NotifyError::Config(format!("BRIGHTPATH_SMTP_URL {url:?}: {why}"));
        let rest = match url.split_once("://") {
            Some(("smtp", rest)) => rest,
            Some(("smtps", _)) => {
                return Err(bad(
                    "smtps:// is not supported (this build has no TLS); use smtp:// to a local relay",
                ));
            }
            _ => return Err(bad("write smtp://host:port")),
        };
        let authority = rest.trim_end_matches('/');
        if authority.contains(['/', '?', '#']) {
            return Err(bad(
                "only smtp://host:port is understood (no path or options)",
            ));
        }
        if authority.contains('@') {
            return Err(bad(
                "credentials are not supported without TLS; use a local relay that authenticates",
            ));
        }
        let (host, port) = super::webhook::split_host_port(authority, 25).map_err(|e| bad(&e))?;
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| NotifyError::Config(format!("BRIGHTPATH_SMTP_FROM {from:?}: {e}")))?;
        Ok(Self { host, port, from })
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
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(target.host.clone())
        .port(target.port)
        .timeout(Some(TIMEOUT))
        .build();
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

    #[test]
    fn reads_plain_smtp_urls_and_refuses_what_it_cannot_do() {
        let t = SmtpTarget::parse("smtp://127.0.0.1:2525", "BrightPath <plans@example.org>")
            .expect("ok");
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 2525));
        assert_eq!(t.domain(), "example.org");
        let t = SmtpTarget::parse("smtp://mail.local/", "plans@example.org").expect("ok");
        assert_eq!((t.host.as_str(), t.port), ("mail.local", 25));
        for bad in [
            "smtps://mail:465",
            "http://mail",
            "smtp://u:p@mail",
            "smtp://mail:99999",
            "smtp://",
            "mail:25",
        ] {
            assert!(SmtpTarget::parse(bad, "a@b.c").is_err(), "{bad}");
        }
        assert!(SmtpTarget::parse("smtp://mail", "not an address").is_err());
    }
}
