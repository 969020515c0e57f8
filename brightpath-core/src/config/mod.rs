//! Settings in layers: built-in defaults < the TOML config file <
//! `BRIGHTPATH_*` environment variables < command-line flags, merged with
//! figment into one typed [`Settings`]. Every effective value remembers where
//! it came from, so `brightpath config show` can say so.
//!
//! Nested keys are sections in the file (`[smtp]` `host = …`) and a double
//! underscore in the environment (`BRIGHTPATH_SMTP__HOST`). Older flat names
//! (`BRIGHTPATH_SMTP_URL`, `BRIGHTPATH_TUI_MOUSE`, …) are still read, below the
//! canonical ones. A key in the file that is not a setting is an error naming
//! the key and the file; so is a value of the wrong type, naming its source.

mod keys;
mod layers;
mod settings;
mod show;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use figment::Figment;
use serde::Serialize;

pub use keys::{KEYS, Key, SECTIONS, SMTP_URL, Secret, unknown_variables};
pub use layers::split_host_port;
pub use settings::{
    BackupSettings, ColorChoice, Learning, LogFormat, MlSettings, OauthSettings, S3Settings,
    SentrySettings, ServerSettings, Settings, SmtpSettings, SmtpTls, TuiSettings, WebhookSettings,
    WorkerSettings,
};
pub use show::Shown;

use crate::error::Error;

/// Where an effective setting came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "detail")]
pub enum Source {
    Default,
    File(PathBuf),
    /// The environment variable's name.
    Env(String),
    /// The flag's name (`--db`).
    Flag(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(p) => write!(f, "file {}", p.display()),
            Source::Env(v) => write!(f, "environment {v}"),
            Source::Flag(flag) if flag.is_empty() => f.write_str("command-line flag"),
            Source::Flag(flag) => write!(f, "command-line flag {flag}"),
        }
    }
}

impl Source {
    /// The tag kept in a figment provider's metadata (files keep their path).
    fn tag(&self) -> String {
        match self {
            Source::Default => "default".into(),
            Source::File(p) => format!("file:{}", p.display()),
            Source::Env(v) => format!("env:{v}"),
            Source::Flag(f) => format!("flag:{f}"),
        }
    }

    fn of(meta: &figment::Metadata) -> Source {
        match &meta.source {
            Some(figment::Source::File(p)) => Source::File(p.clone()),
            Some(figment::Source::Custom(tag)) => match tag.split_once(':') {
                Some(("env", v)) => Source::Env(v.into()),
                Some(("flag", f)) => Source::Flag(f.into()),
                Some(("file", p)) => Source::File(p.into()),
                _ => Source::Default,
            },
            _ => Source::Default,
        }
    }
}

/// A setting that cannot be read. Each names the key and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{file}: cannot read the config file: {cause}", file = .file.display())]
    Unreadable { file: PathBuf, cause: String },
    #[error("{file}: not valid TOML: {message}", file = .file.display())]
    Toml { file: PathBuf, message: String },
    #[error("{file}: unknown setting {key:?}", file = .file.display())]
    UnknownKey {
        key: String,
        file: PathBuf,
        known: String,
    },
    #[error("{key} (from {from}): expected {expects}{}", if .detail.is_empty() { String::new() } else { format!("; {}", .detail) })]
    BadValue {
        key: String,
        from: Source,
        expects: String,
        detail: String,
    },
}

impl From<SettingsError> for Error {
    fn from(e: SettingsError) -> Error {
        let (field, hint) = match &e {
            SettingsError::Unreadable { .. } => (
                "config",
                "check the path given by --config or BRIGHTPATH_CONFIG".to_owned(),
            ),
            SettingsError::Toml { .. } => (
                "config",
                "the config file is TOML: key = \"value\" lines and [section] tables".to_owned(),
            ),
            SettingsError::UnknownKey { known, .. } => {
                ("config", format!("known settings here: {known}"))
            }
            SettingsError::BadValue { .. } => (
                "config",
                "`brightpath config show` lists every setting and where it comes from".to_owned(),
            ),
        };
        Error::invalid(field, e.to_string()).with_hint(hint)
    }
}

/// The loaded settings, with the provenance of each value.
#[derive(Debug, Clone)]
pub struct Config {
    pub settings: Settings,
    /// The config file looked for (it may not exist).
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    figment: Figment,
}

/// Flags given on the command line (highest precedence): setting paths and values.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub values: Vec<(&'static str, String)>,
}

/// The XDG directories, from an environment lookup (injectable for tests).
pub struct Dirs {
    pub config: PathBuf,
    pub data: PathBuf,
}

impl Dirs {
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Dirs {
        let home = env("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        let xdg = |var: &str, fallback: &str| {
            env(var)
                .filter(|v| Path::new(v).is_absolute())
                .map(PathBuf::from)
                .unwrap_or_else(|| home.join(fallback))
                .join("brightpath")
        };
        Dirs {
            config: xdg("XDG_CONFIG_HOME", ".config"),
            data: xdg("XDG_DATA_HOME", ".local/share"),
        }
    }
}

impl Config {
    /// Loads the layers. `env` looks up environment variables.
    pub fn load(
        overrides: &Overrides,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> crate::Result<Config> {
        let dirs = Dirs::from_env(env);
        let defaults = Settings::defaults(
            format!("sqlite://{}", dirs.data.join("brightpath.db").display()),
            env("USER").unwrap_or_else(|| "someone".into()),
        );
        let defaults = match figment::value::Value::serialize(&defaults) {
            Ok(figment::value::Value::Dict(_, dict)) => dict,
            Ok(_) | Err(_) => {
                return Err(Error::Internal(
                    "the default settings are not a table".into(),
                ));
            }
        };
        let mut figment = Figment::from(layers::Layer::new(&Source::Default, defaults));

        let (file, explicit) = match (&overrides.config_file, env("BRIGHTPATH_CONFIG")) {
            (Some(p), _) => (p.clone(), true),
            (None, Some(p)) if !p.is_empty() => (PathBuf::from(p), true),
            _ => (dirs.config.join("config.toml"), false),
        };
        match std::fs::read_to_string(&file) {
            Ok(text) => figment = figment.merge(layers::file(&file, &text)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {}
            Err(e) => {
                return Err(SettingsError::Unreadable {
                    file,
                    cause: e.to_string(),
                }
                .into());
            }
        }
        for layer in layers::env(env)? {
            figment = figment.merge(layer);
        }
        for layer in layers::flags(&overrides.values) {
            figment = figment.merge(layer);
        }
        let settings: Settings = figment.extract_lossy().map_err(bad_value)?;
        let config = Config {
            settings,
            config_file: file,
            data_dir: dirs.data,
            figment,
        };
        config.validate()?;
        Ok(config)
    }

    /// Loads from the process's environment without flags (examples, tools).
    pub fn from_env() -> crate::Result<Config> {
        Config::load(&Overrides::default(), &|k| std::env::var(k).ok())
    }

    /// Where the effective value of `path` (`smtp.host`) came from.
    pub fn source(&self, path: &str) -> Source {
        self.figment
            .find_metadata(path)
            .map(Source::of)
            .unwrap_or(Source::Default)
    }

    fn bad(&self, path: &str, detail: String) -> SettingsError {
        SettingsError::BadValue {
            key: path.into(),
            from: self.source(path),
            expects: keys::find(path).map_or("", |k| k.expects).into(),
            detail,
        }
    }

    fn validate(&self) -> crate::Result<()> {
        let s = &self.settings;
        crate::store::Backend::from_url(&s.database_url)?;
        if s.connect_timeout == 0 {
            return Err(self
                .bad("connect_timeout", "0 would never wait".into())
                .into());
        }
        let seconds = |v: f64| v.is_finite() && v > 0.0 && v <= 86_400.0;
        let vis = s.worker.visibility_timeout;
        if !seconds(vis) {
            return Err(self
                .bad(
                    "worker.visibility_timeout",
                    format!("{vis} is out of range"),
                )
                .into());
        }
        if let Some(hb) = s.worker.heartbeat {
            if !seconds(hb) {
                return Err(self
                    .bad("worker.heartbeat", format!("{hb} is out of range"))
                    .into());
            }
            if hb * 2.0 > vis {
                return Err(self
                    .bad(
                        "worker.heartbeat",
                        format!(
                            "{hb} s is more than half the visibility timeout ({vis} s): \
                             a running job would be taken over"
                        ),
                    )
                    .into());
            }
        }
        let srv = &s.server;
        for (key, v, max) in [
            ("server.session_days", srv.session_days, 366),
            ("server.session_idle_hours", srv.session_idle_hours, 8784),
            ("server.body_limit_kib", srv.body_limit_kib, 1_048_576),
            ("server.upload_limit_mib", srv.upload_limit_mib, 4096),
            ("server.request_timeout", srv.request_timeout, 3600),
            (
                "server.sign_ins_per_minute",
                srv.sign_ins_per_minute,
                100_000,
            ),
        ] {
            if v == 0 || v > max {
                return Err(self
                    .bad(key, format!("{v} is not between 1 and {max}"))
                    .into());
            }
        }
        if s.smtp.port == 0 {
            return Err(self.bad("smtp.port", "0 is not a port".into()).into());
        }
        Ok(())
    }
}

/// A figment extraction error as the key, its source and what was expected.
/// The value itself is left out of the message for secret keys.
fn bad_value(e: figment::Error) -> SettingsError {
    let key = e.path.join(".");
    let spec = keys::find(&key);
    let detail = match spec.map(|k| k.secret) {
        Some(Secret::No) | None => e.kind.to_string(),
        Some(_) => String::new(),
    };
    let expects = match spec {
        Some(k) => k.expects.to_owned(),
        None if SECTIONS.contains(&key.as_str()) => format!("a [{key}] table"),
        None => "another kind of value".to_owned(),
    };
    SettingsError::BadValue {
        from: e.metadata.as_ref().map_or(Source::Default, Source::of),
        expects,
        key: if key.is_empty() { "config".into() } else { key },
        detail,
    }
}
