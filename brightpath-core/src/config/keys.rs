//! Every key: its path, what it holds, its environment names and flag, and
//! whether its value is secret. The file check, the environment layer, the
//! flags and `config show` all read this one table.

/// How a value is shown by `config show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// Shown as it is.
    No,
    /// Wholly hidden (`***`) when set.
    Whole,
    /// A URL: the password after `user:` is hidden.
    UrlPassword,
    /// A URL whose path or query may hold a token: only scheme and host are shown.
    UrlPath,
}

/// One setting.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Dotted path: `smtp.host` is `host` in the file's `[smtp]` table.
    pub path: &'static str,
    /// The kind of value, for messages and the docs.
    pub expects: &'static str,
    pub help: &'static str,
    /// Older environment names still read (below the canonical one).
    pub aliases: &'static [&'static str],
    /// The command-line flag that sets it, if any.
    pub flag: Option<&'static str>,
    pub secret: Secret,
    /// Unset, or set to an empty string, means "none" (the field is optional).
    pub optional: bool,
}

const fn key(path: &'static str, expects: &'static str, help: &'static str) -> Key {
    Key {
        path,
        expects,
        help,
        aliases: &[],
        flag: None,
        secret: Secret::No,
        optional: false,
    }
}

impl Key {
    const fn aliases(mut self, aliases: &'static [&'static str]) -> Key {
        self.aliases = aliases;
        self
    }
    const fn flag(mut self, flag: &'static str) -> Key {
        self.flag = Some(flag);
        self
    }
    const fn secret(mut self, secret: Secret) -> Key {
        self.secret = secret;
        self
    }
    const fn optional(mut self) -> Key {
        self.optional = true;
        self
    }

    /// `BRIGHTPATH_` and the path in capitals, sections joined by `__`:
    /// `smtp.host` is `BRIGHTPATH_SMTP__HOST`.
    pub fn env(&self) -> String {
        format!(
            "BRIGHTPATH_{}",
            self.path.to_ascii_uppercase().replace('.', "__")
        )
    }

    /// The section and the field (`("smtp", "host")`; top-level keys have no section).
    pub fn split(&self) -> (Option<&'static str>, &'static str) {
        match self.path.split_once('.') {
            Some((section, field)) => (Some(section), field),
            None => (None, self.path),
        }
    }
}

/// The sections a config file may hold (`[smtp]` …). `[server]` and `[oauth]`
/// come with the HTTP server.
pub const SECTIONS: &[&str] = &[
    "smtp", "webhook", "tui", "worker", "server", "oauth", "sentry", "s3", "backup", "ml",
];

/// Every setting, in the order `config show` lists them.
pub const KEYS: &[Key] = &[
    key(
        "database_url",
        "a database URL",
        "where the school is kept: sqlite:///path.db or postgres://user:password@host/db",
    )
    .flag("--db")
    .secret(Secret::UrlPassword),
    key(
        "valkey_url",
        "a Valkey URL or empty",
        "the job bus: empty for in-process, or valkey://host:port",
    )
    .secret(Secret::UrlPassword),
    key("queue_prefix", "text", "prefix of the bus's keys in Valkey"),
    key(
        "log_format",
        "text or json",
        "log lines on stderr as text or JSON",
    )
    .flag("--log-format"),
    key(
        "color",
        "auto, always or never",
        "colour on the terminal (NO_COLOR also turns it off under auto)",
    )
    .flag("--color"),
    key(
        "actor",
        "text",
        "the name recorded in the history for changes made here",
    ),
    key(
        "today",
        "a date (YYYY-MM-DD)",
        "a fixed today for scripts, tests and demos",
    )
    .optional(),
    key(
        "connect_timeout",
        "a whole number of seconds (at least 1)",
        "how long to wait for the database before saying it cannot be reached",
    ),
    key(
        "learning",
        "off, suggest or apply",
        "what learned lesson lengths and best hours do: nothing, suggestions (insights), or the planner's minutes and preferred times",
    ),
    key(
        "ca_file",
        "a path to a PEM file",
        "extra certificate authorities trusted for https webhooks and SMTP over TLS",
    )
    .optional(),
    key(
        "smtp.host",
        "a host name or address",
        "the SMTP server for e-mail notifications (unset: no e-mail)",
    )
    .aliases(&[SMTP_URL])
    .optional(),
    key(
        "smtp.port",
        "a port number (1-65535)",
        "the SMTP server's port",
    )
    .aliases(&[SMTP_URL]),
    key(
        "smtp.tls",
        "none, starttls or tls",
        "none (plain SMTP), starttls (upgrade, required; port 587) or tls (implicit TLS; port 465)",
    ),
    key(
        "smtp.from",
        "a mailbox, e.g. BrightPath <plans@example.org>",
        "the sender of notification e-mail (needed with smtp.host)",
    )
    .aliases(&["BRIGHTPATH_SMTP_FROM"])
    .optional(),
    key(
        "smtp.username",
        "text",
        "login at the SMTP server (sent only over TLS or to a relay on this machine)",
    )
    .aliases(&[SMTP_URL])
    .optional(),
    key("smtp.password", "text", "password for smtp.username")
        .aliases(&[SMTP_URL])
        .secret(Secret::Whole)
        .optional(),
    key(
        "webhook.url",
        "an http:// or https:// URL",
        "where notifications are POSTed as JSON (unset: no webhook)",
    )
    .aliases(&["BRIGHTPATH_WEBHOOK_URL"])
    .secret(Secret::UrlPath)
    .optional(),
    key(
        "tui.mouse",
        "true or false (on/off, yes/no, 1/0)",
        "the planner captures the mouse (clicks, wheel); off leaves it to the terminal",
    )
    .aliases(&["BRIGHTPATH_TUI_MOUSE"]),
    key(
        "worker.visibility_timeout",
        "seconds (a number in (0, 86400])",
        "a running job without a heartbeat this long is taken over by another worker",
    )
    .aliases(&["BRIGHTPATH_VISIBILITY_TIMEOUT"])
    .flag("--visibility-timeout"),
    key(
        "worker.heartbeat",
        "seconds (at most half the visibility timeout)",
        "seconds between heartbeats of a running job (unset: a third of the visibility timeout)",
    )
    .aliases(&["BRIGHTPATH_HEARTBEAT"])
    .flag("--heartbeat")
    .optional(),
    key(
        "server.public_url",
        "an http:// or https:// URL",
        "the address people use to reach `serve` (sign-in redirects return to it)",
    )
    .optional(),
    key(
        "server.session_days",
        "days (1 to 366)",
        "a browser stays signed in this long, however active",
    ),
    key(
        "server.session_idle_hours",
        "hours (1 to 8784)",
        "a browser session ends after this long without use",
    ),
    key(
        "server.body_limit_kib",
        "KiB (1 to 1048576)",
        "the largest request body `serve` accepts (413 beyond)",
    ),
    key(
        "server.upload_limit_mib",
        "MiB (1 to 4096)",
        "the largest roster file a co-op admin may upload for import (413 beyond)",
    ),
    key(
        "server.request_timeout",
        "seconds (1 to 3600)",
        "a request taking longer is answered with 503",
    ),
    key(
        "server.sign_ins_per_minute",
        "a number (1 to 100000)",
        "sign-in requests one client address may make per minute (429 beyond)",
    ),
    key(
        "oauth.issuer",
        "an https:// URL (http:// on this machine only)",
        "the OpenID Connect provider; its discovery document is read at start-up",
    ),
    key(
        "oauth.client_id",
        "text",
        "the OAuth client's id at the provider (unset: no provider sign-in)",
    )
    .optional(),
    key("oauth.client_secret", "text", "the OAuth client's secret")
        .secret(Secret::Whole)
        .optional(),
    key(
        "sentry.dsn",
        "a Sentry DSN (https://KEY@HOST/PROJECT)",
        "errors (panics, 5xx answers) go to this Sentry project, without personal data (unset: off)",
    )
    .secret(Secret::Whole)
    .optional(),
    key(
        "sentry.environment",
        "text",
        "the environment name Sentry events carry (production, staging…)",
    )
    .optional(),
    key(
        "s3.endpoint",
        "an http:// or https:// URL",
        "the S3-compatible object store of backups (e.g. https://fra1.digitaloceanspaces.com; unset: none)",
    )
    .optional(),
    key("s3.region", "text", "the object store's signing region (fra1 on Spaces)"),
    key("s3.access_key", "text", "the object store's access key id").optional(),
    key("s3.secret_key", "text", "the object store's secret key")
        .secret(Secret::Whole)
        .optional(),
    key(
        "backup.to",
        "an s3://BUCKET/PREFIX/ URL",
        "the worker backs up the whole database here on schedule (unset: no scheduled backup)",
    )
    .optional(),
    key(
        "backup.at",
        "daily HH:MM or weekly DAY HH:MM (UTC)",
        "when the scheduled backup runs",
    ),
    key(
        "backup.retention_days",
        "a whole number of days (0: keep all)",
        "scheduled backups older than this are deleted after each new one",
    ),
    key(
        "ml.tracking_uri",
        "an http(s):// URL, a directory or file:///path",
        "where training runs are recorded for MLflow: a tracking server, or its local layout (unset: mlruns beside the SQLite database)",
    )
    .optional(),
];

/// The older one-variable form of the SMTP server: `smtp://[user:password@]host[:port]`.
pub const SMTP_URL: &str = "BRIGHTPATH_SMTP_URL";

/// The key at `path`.
pub fn find(path: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.path == path)
}

/// The names among `names` that look like BrightPath settings (`BRIGHTPATH_…`)
/// but are none: a misspelt variable is ignored, so the caller warns of it.
/// `BRIGHTPATH_CONFIG` and the test suites' `BRIGHTPATH_TEST_*` are known.
pub fn unknown_variables<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    names
        .into_iter()
        .filter(|n| n.starts_with("BRIGHTPATH_"))
        .filter(|n| *n != "BRIGHTPATH_CONFIG" && !n.starts_with("BRIGHTPATH_TEST_"))
        .filter(|n| !KEYS.iter().any(|k| k.env() == *n || k.aliases.contains(n)))
        .collect()
}
