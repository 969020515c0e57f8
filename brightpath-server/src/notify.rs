//! Notifications: the daily agenda (each child's lessons today) and the weekly
//! plan, by e-mail to every guardian with an address and by a webhook POST.
//!
//! Jobs run at least once, so a notification can be sent twice when a worker
//! dies after sending but before the acknowledgement, or when one channel
//! fails and the job is retried. Every message therefore carries the job id
//! (the e-mail's Message-ID, the webhook's `Idempotency-Key` header and
//! `job_id` field), which stays the same across retries, so receivers can drop
//! repeats.

mod compose;
mod smtp;
mod webhook;

use std::sync::Arc;

use brightpath_bus::{JobSpec, Queue};
use brightpath_core::Store;
use brightpath_core::calendar::planning_week;
use brightpath_core::config::{Settings, SmtpSettings, WebhookSettings};
use brightpath_core::model::Family;
use brightpath_core::services::{lists, view};
use jiff::civil::Date;
use serde_json::{Value, json};

pub use compose::{Composed, Notice, long_date, short_date};
pub use smtp::{Recipient, SmtpTarget, message_id};
pub use webhook::WebhookTarget;

use crate::jobs::{family_of, job_date};
use crate::worker::{JobContext, JobError, Registry};

/// Job kinds.
pub const DAILY_AGENDA: &str = "notify.daily_agenda";
pub const WEEKLY_PLAN: &str = "notify.weekly_plan";

/// When each family's daily agenda goes out (family-local time).
pub const DAILY_AGENDA_AT: &str = "daily 07:00";

/// A notification setting that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    #[error("notification settings: {0}")]
    Config(String),
}

/// How one delivery (one e-mail, the webhook) went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// Might work later: connection refused, timeouts, 4xx SMTP, non-2xx HTTP.
    #[error("{0}")]
    Transient(String),
    /// Will not work by retrying: the SMTP server rejected the recipient.
    #[error("{0}")]
    Permanent(String),
    /// Not attempted: the guardian's stored address is not an address.
    #[error("{0}")]
    Skipped(String),
}

/// Where notifications go: the `[smtp]` and `[webhook]` settings. An unset
/// `smtp.host` or `webhook.url` means "that channel is off"; with both off,
/// notification jobs succeed without sending anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifyConfig {
    pub smtp: SmtpSettings,
    pub webhook: WebhookSettings,
    /// A PEM file of extra certificate authorities (setting `ca_file`).
    pub ca_file: Option<String>,
}

/// The channels of a valid configuration.
#[derive(Debug, Clone, Default)]
pub struct Channels {
    pub smtp: Option<SmtpTarget>,
    pub webhook: Option<WebhookTarget>,
}

impl From<&Settings> for NotifyConfig {
    fn from(s: &Settings) -> Self {
        NotifyConfig {
            smtp: s.smtp.clone(),
            webhook: s.webhook.clone(),
            ca_file: s.ca_file.clone(),
        }
    }
}

impl NotifyConfig {
    /// No channel configured.
    pub fn is_empty(&self) -> bool {
        self.smtp.host.is_none() && self.webhook.url.is_none()
    }

    /// Checks and parses the settings.
    pub fn channels(&self) -> Result<Channels, NotifyError> {
        let roots = match &self.ca_file {
            Some(path) => webhook::ca_certificates(path)?,
            None => Vec::new(),
        };
        let smtp = match self.smtp.host {
            Some(_) => Some(SmtpTarget::with_roots(&self.smtp, roots.clone())?),
            None => None,
        };
        let webhook = self
            .webhook
            .url
            .as_deref()
            .map(|url| WebhookTarget::new(url, &roots))
            .transpose()?;
        Ok(Channels { smtp, webhook })
    }
}

/// Registers `notify.daily_agenda` and `notify.weekly_plan` over `store`.
pub fn register(reg: &mut Registry, store: Store, config: NotifyConfig) {
    if let Err(e) = config.channels() {
        // Said once at start-up too, so the mistake shows before the first job dies of it.
        tracing::warn!(error = %e, "notifications will fail until the settings are fixed");
    }
    let config = Arc::new(config);
    let (s, c) = (store.clone(), config.clone());
    reg.register(DAILY_AGENDA, move |ctx| {
        let (store, config) = (s.clone(), c.clone());
        async move { daily_agenda(&store, &config, &ctx).await }
    });
    reg.register(WEEKLY_PLAN, move |ctx| {
        let (store, config) = (store.clone(), config.clone());
        async move { weekly_plan(&store, &config, &ctx).await }
    });
}

fn core_error(e: brightpath_core::Error) -> JobError {
    match e.kind() {
        brightpath_core::ErrorKind::Invalid | brightpath_core::ErrorKind::NotFound => {
            JobError::permanent(e)
        }
        _ => JobError::retry(e),
    }
}

fn nothing_configured() -> Value {
    json!({
        "sent": false,
        "reason": "no notification channel is configured \
                   (smtp.host or webhook.url: BRIGHTPATH_SMTP__HOST, BRIGHTPATH_WEBHOOK__URL)",
    })
}

async fn daily_agenda(
    store: &Store,
    config: &NotifyConfig,
    ctx: &JobContext,
) -> Result<Value, JobError> {
    let family = family_of(store, ctx).await?;
    let date = job_date(ctx, &family)?;
    if config.is_empty() {
        return Ok(nothing_configured());
    }
    let channels = config.channels().map_err(JobError::permanent)?;
    let week = view::load_week(store, &family, date)
        .await
        .map_err(core_error)?;
    let composed = compose::daily_agenda(&week, date);
    deliver(store, &family, &channels, composed, ctx).await
}

/// The week a weekly-plan job is about: `week_start` in the payload, else the
/// week `plan.week` would plan on the job's date.
fn plan_week_of(ctx: &JobContext, family: &Family) -> Result<Date, JobError> {
    match ctx.job.payload["week_start"].as_str() {
        Some(w) => w
            .parse()
            .map_err(|_| JobError::permanent(format!("week_start {w:?} is not YYYY-MM-DD"))),
        None => Ok(planning_week(job_date(ctx, family)?)),
    }
}

async fn weekly_plan(
    store: &Store,
    config: &NotifyConfig,
    ctx: &JobContext,
) -> Result<Value, JobError> {
    let family = family_of(store, ctx).await?;
    let week = plan_week_of(ctx, &family)?;
    if config.is_empty() {
        return Ok(nothing_configured());
    }
    let channels = config.channels().map_err(JobError::permanent)?;
    let view = view::load_week(store, &family, week)
        .await
        .map_err(core_error)?;
    let composed = compose::weekly_plan(&view);
    deliver(store, &family, &channels, composed, ctx).await
}

/// After `plan.week` made `week`'s plan, queue its notification. The
/// idempotency key names the plan job, so a re-run of that job (at-least-once
/// delivery) queues the notification once. Returns the new job's id, or None
/// when no channel is configured.
pub async fn after_plan_week(
    ctx: &JobContext,
    config: &NotifyConfig,
    family_id: &str,
    week: Date,
) -> Result<Option<String>, JobError> {
    if config.is_empty() {
        return Ok(None);
    }
    let queue = Queue::new(Queue::NOTIFICATIONS).map_err(JobError::permanent)?;
    let spec = JobSpec::new(
        queue,
        WEEKLY_PLAN,
        json!({"family_id": family_id, "week_start": week.to_string()}),
    )
    .idempotency_key(format!("{WEEKLY_PLAN}:{}", ctx.job.id));
    let queued = ctx.bus.enqueue(spec).await.map_err(JobError::retry)?;
    Ok(Some(queued.id.to_string()))
}

/// Sends `composed` on every configured channel, trying all of them before
/// deciding: any transient failure retries the job (earlier deliveries repeat
/// with the same ids), otherwise a rejected delivery ends it dead.
async fn deliver(
    store: &Store,
    family: &Family,
    channels: &Channels,
    composed: Composed,
    ctx: &JobContext,
) -> Result<Value, JobError> {
    let notice = match composed {
        Composed::Notice(n) => n,
        Composed::Nothing(reason) => return Ok(json!({"sent": false, "reason": reason})),
    };
    let job_id = ctx.job.id.to_string();
    let mut emailed = Vec::new();
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    if let Some(target) = &channels.smtp {
        let recipients = recipients(store, family).await?;
        for (email, result) in
            smtp::send_all(target, &job_id, &notice.subject, &notice.text, &recipients).await
        {
            match result {
                Ok(()) => emailed.push(email),
                Err(Failure::Skipped(why)) => skipped.push(why),
                Err(f) => failures.push(f),
            }
        }
    }
    let mut webhook_status = None;
    if let Some(target) = &channels.webhook {
        let mut body = notice.data.clone();
        body.insert("job_id".into(), json!(job_id));
        body.insert("family_id".into(), json!(family.id));
        let body = Value::Object(body).to_string();
        match target.post(body.as_bytes(), &job_id).await {
            Ok(status) => webhook_status = Some(status),
            Err(f) => failures.push(f),
        }
    }
    if !skipped.is_empty() {
        tracing::warn!(job = %job_id, ?skipped, "guardian addresses that cannot be mailed");
    }
    let joined = |fs: &[Failure]| {
        fs.iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    if failures.iter().any(|f| matches!(f, Failure::Transient(_))) {
        return Err(JobError::Retry(joined(&failures)));
    }
    if !failures.is_empty() {
        return Err(JobError::Permanent(joined(&failures)));
    }
    Ok(json!({
        "sent": !emailed.is_empty() || webhook_status.is_some(),
        "event": notice.event,
        "subject": notice.subject,
        "emailed": emailed,
        "skipped": skipped,
        "webhook_status": webhook_status,
    }))
}

/// The family's guardians that have an e-mail address.
async fn recipients(store: &Store, family: &Family) -> Result<Vec<Recipient>, JobError> {
    let guardians = lists::guardians(store, &family.id)
        .await
        .map_err(core_error)?;
    Ok(guardians
        .into_iter()
        .filter_map(|g| {
            let email = g.email?.trim().to_owned();
            (!email.is_empty()).then_some(Recipient {
                id: g.id,
                name: g.name,
                email,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(host: Option<&str>, from: Option<&str>, hook: Option<&str>) -> NotifyConfig {
        NotifyConfig {
            smtp: SmtpSettings {
                host: host.map(Into::into),
                port: 2525,
                from: from.map(Into::into),
                ..Default::default()
            },
            webhook: WebhookSettings {
                url: hook.map(Into::into),
            },
            ca_file: None,
        }
    }

    #[test]
    fn configuration_from_settings() {
        assert!(NotifyConfig::default().is_empty());
        let c = config(
            Some("127.0.0.1"),
            Some("BrightPath <plans@example.org>"),
            Some("http://127.0.0.1:9/hook"),
        );
        let ch = c.channels().expect("valid");
        assert_eq!(ch.smtp.expect("smtp").port, 2525);
        assert_eq!(ch.webhook.expect("webhook").shown(), "http://127.0.0.1:9");
        let no_from = config(Some("127.0.0.1"), None, None);
        assert!(!no_from.is_empty());
        let err = no_from.channels().expect_err("no sender").to_string();
        assert!(err.contains("smtp.from"), "{err}");
        // A sender alone turns nothing on.
        assert!(config(None, Some("a@b.c"), None).is_empty());
    }
}
