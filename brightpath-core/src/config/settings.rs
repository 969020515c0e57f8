//! The typed settings: one struct, nested by section, read by every surface.
//! Field docs are the user's documentation of each key (see `keys.rs` for
//! environment names, flags and which values are secret).

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};

/// Every setting BrightPath reads, after the layers are merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Where the school is kept: `sqlite:///path.db` or `postgres://…`.
    pub database_url: String,
    /// The job bus: empty for in-process, or `valkey://host:port`.
    pub valkey_url: String,
    /// Prefix of the bus's keys in Valkey.
    pub queue_prefix: String,
    /// Log lines as text or JSON (on stderr; `RUST_LOG` sets the level).
    pub log_format: LogFormat,
    /// Colour on the terminal (`NO_COLOR` also turns it off under `auto`).
    pub color: ColorChoice,
    /// The name the history records for changes made here.
    pub actor: String,
    /// A fixed "today" (`YYYY-MM-DD`) for scripts, tests and demos.
    #[serde(default, deserialize_with = "date_opt")]
    pub today: Option<Date>,
    /// Seconds to wait for the database before saying it cannot be reached.
    pub connect_timeout: u64,
    /// A PEM file of extra certificate authorities trusted for https webhooks
    /// and SMTP over TLS (a private CA; the system's roots are trusted anyway).
    pub ca_file: Option<String>,
    /// What the feedback's learned lengths and best hours do: nothing (`off`),
    /// suggestions in `insights` (`suggest`), or the planner's session
    /// minutes and preferred times (`apply`).
    pub learning: Learning,
    pub smtp: SmtpSettings,
    pub webhook: WebhookSettings,
    pub tui: TuiSettings,
    pub worker: WorkerSettings,
    pub server: ServerSettings,
    pub oauth: OauthSettings,
    pub sentry: SentrySettings,
    pub s3: S3Settings,
    pub backup: BackupSettings,
    pub ml: MlSettings,
}

/// An S3-compatible object store (DigitalOcean Spaces, MinIO…) for backups
/// and exports. Addressed path-style: `ENDPOINT/BUCKET/KEY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    /// `https://fra1.digitaloceanspaces.com`; unset: no object store.
    pub endpoint: Option<String>,
    /// The signing region (`fra1` on Spaces, `us-east-1` for most others).
    pub region: String,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
}

impl Default for S3Settings {
    fn default() -> Self {
        S3Settings {
            endpoint: None,
            region: "us-east-1".into(),
            access_key: None,
            secret_key: None,
        }
    }
}

/// The worker's scheduled backup of the whole database. Off while `to` is unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSettings {
    /// Where: `s3://BUCKET/PREFIX/` (a file named by the time is added).
    pub to: Option<String>,
    /// When, in UTC: `daily HH:MM` or `weekly DAY HH:MM`.
    pub at: String,
    /// Backups under the prefix older than this many days are deleted after
    /// each new one (0 keeps them all).
    pub retention_days: u32,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            to: None,
            at: "daily 03:00".into(),
            retention_days: 30,
        }
    }
}

/// Errors to Sentry (panics and 5xx answers, without personal data). Off
/// while `dsn` is unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentrySettings {
    /// The project's DSN, `https://KEY@HOST/PROJECT`.
    pub dsn: Option<String>,
    /// The environment name events carry (`production`, `staging`…).
    pub environment: Option<String>,
}

/// Learning jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MlSettings {
    /// Where training runs are recorded for MLflow: a tracking server
    /// (`http(s)://`, its REST API) or a directory (`file:///path`) in
    /// MLflow's local layout. Unset: `mlruns` beside the SQLite database
    /// (none for PostgreSQL).
    pub tracking_uri: Option<String>,
}

/// `brightpath serve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// The address people use to reach the server, e.g. `https://school.example.org`
    /// (sign-in redirects come back to it; default: the listening address).
    pub public_url: Option<String>,
    /// Days a browser stays signed in, however active.
    pub session_days: u32,
    /// Hours a browser session lasts without being used.
    pub session_idle_hours: u32,
    /// The largest request body, in KiB.
    pub body_limit_kib: u32,
    /// The largest roster upload (a co-op's OneRoster zip), in MiB.
    pub upload_limit_mib: u32,
    /// Seconds one request may take before it is answered with 503.
    pub request_timeout: u32,
    /// Sign-in requests one address may make per minute.
    pub sign_ins_per_minute: u32,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            public_url: None,
            session_days: 14,
            session_idle_hours: 72,
            body_limit_kib: 1024,
            upload_limit_mib: 64,
            request_timeout: 30,
            sign_ins_per_minute: 30,
        }
    }
}

/// Sign-in with an OpenID Connect provider (Google by default). Off while
/// `client_id` is unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OauthSettings {
    /// The provider's issuer URL; its discovery document is read at start-up.
    pub issuer: String,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

impl Default for OauthSettings {
    fn default() -> Self {
        OauthSettings {
            issuer: "https://accounts.google.com".into(),
            client_id: None,
            client_secret: None,
        }
    }
}

/// E-mail notifications. Off while `host` is unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// The SMTP server.
    pub host: Option<String>,
    pub port: u16,
    /// How the conversation is protected: `none`, `starttls` or `tls`.
    pub tls: SmtpTls,
    /// The sender, e.g. `BrightPath <plans@example.org>`; needed with `host`.
    pub from: Option<String>,
    /// The login (sent only over TLS, or to a relay on this machine).
    pub username: Option<String>,
    pub password: Option<String>,
}

/// How an SMTP conversation is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain SMTP (a relay on this machine or a trusted network).
    #[default]
    None,
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    Starttls,
    /// TLS from the first byte ("implicit TLS", port 465).
    Tls,
}

/// The webhook notification: a JSON POST. Off while `url` is unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// `http://` or `https://host[:port]/path?query`.
    pub url: Option<String>,
}

/// The interactive planner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuiSettings {
    /// Capture the mouse (clicks, wheel); off leaves it to the terminal.
    pub mouse: bool,
}

/// The background worker's lease on a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    /// Seconds a job may go without a heartbeat before another worker takes it over.
    pub visibility_timeout: f64,
    /// Seconds between heartbeats (default: a third of the visibility timeout).
    pub heartbeat: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// See [`Settings::learning`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Learning {
    Off,
    #[default]
    Suggest,
    Apply,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour: `always`, `never`, or under `auto` when `NO_COLOR`
    /// is unset or empty (<https://no-color.org>) and the output is a terminal.
    pub fn wanted(self, no_color: Option<&str>, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => no_color.is_none_or(str::is_empty) && terminal,
        }
    }
}

impl Default for SmtpSettings {
    fn default() -> Self {
        SmtpSettings {
            host: None,
            port: 25,
            tls: SmtpTls::None,
            from: None,
            username: None,
            password: None,
        }
    }
}

impl Default for TuiSettings {
    fn default() -> Self {
        TuiSettings { mouse: true }
    }
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            visibility_timeout: 30.0,
            heartbeat: None,
        }
    }
}

impl Settings {
    /// The built-in defaults. The database lives in the data directory; the
    /// actor is the login name when known.
    pub fn defaults(database_url: String, actor: String) -> Settings {
        Settings {
            database_url,
            valkey_url: String::new(),
            queue_prefix: "brightpath:".into(),
            log_format: LogFormat::Text,
            color: ColorChoice::Auto,
            actor,
            today: None,
            connect_timeout: 5,
            ca_file: None,
            learning: Learning::Suggest,
            smtp: SmtpSettings::default(),
            webhook: WebhookSettings::default(),
            tui: TuiSettings::default(),
            worker: WorkerSettings::default(),
            server: ServerSettings::default(),
            oauth: OauthSettings::default(),
            sentry: SentrySettings::default(),
            s3: S3Settings::default(),
            backup: BackupSettings::default(),
            ml: MlSettings::default(),
        }
    }

    /// The bus URL, or `None` for the in-process bus.
    pub fn valkey_url(&self) -> Option<&str> {
        Some(self.valkey_url.as_str()).filter(|v| !v.is_empty())
    }

    pub fn connect_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.connect_timeout)
    }
}

/// A date written `YYYY-MM-DD` (a string in TOML and the environment; an
/// unquoted TOML date arrives as its text too), in the years BrightPath plans.
fn date_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    crate::calendar::parse_date("today", &text)
        .map(Some)
        .map_err(|e| serde::de::Error::custom(error_message(&e)))
}

fn error_message(e: &crate::Error) -> String {
    match e {
        crate::Error::Invalid { message, hint, .. } => match hint {
            Some(h) => format!("{message} ({h})"),
            None => message.clone(),
        },
        other => other.to_string(),
    }
}
