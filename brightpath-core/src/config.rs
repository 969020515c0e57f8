//! Settings in layers: built-in defaults < the TOML config file < `BRIGHTPATH_*`
//! environment variables < command-line flags. Every effective value remembers
//! where it came from, so `brightpath config show` can say so.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::redact_url;

/// Where an effective setting came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "detail")]
pub enum Source {
    Default,
    File(PathBuf),
    Env(String),
    Flag,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(p) => write!(f, "file {}", p.display()),
            Source::Env(v) => write!(f, "environment {v}"),
            Source::Flag => f.write_str("command-line flag"),
        }
    }
}

/// The keys a config file may hold, with their meaning.
pub const KEYS: &[(&str, &str)] = &[
    (
        "database_url",
        "where the school is kept: sqlite:///path.db or postgres://...",
    ),
    (
        "valkey_url",
        "the job bus: empty for in-process, or valkey://host:port",
    ),
    ("queue_prefix", "prefix of the bus's keys in Valkey"),
    ("log_format", "text or json"),
    (
        "color",
        "auto, always or never (NO_COLOR also turns colour off)",
    ),
    (
        "actor",
        "the name recorded in the history for changes made here",
    ),
];

const SECRET_KEYS: &[&str] = &["database_url", "valkey_url"];

#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    pub value: String,
    pub source: Source,
}

/// The effective settings.
#[derive(Debug, Clone)]
pub struct Config {
    values: BTreeMap<&'static str, Setting>,
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
}

/// Flags given on the command line (highest precedence).
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
    pub fn load(overrides: &Overrides, env: &dyn Fn(&str) -> Option<String>) -> Result<Config> {
        let dirs = Dirs::from_env(env);
        let mut values = BTreeMap::new();
        let mut set = |k: &'static str, v: String, s: Source| {
            values.insert(
                k,
                Setting {
                    value: v,
                    source: s,
                },
            );
        };
        let default_db = format!("sqlite://{}", dirs.data.join("brightpath.db").display());
        set("database_url", default_db, Source::Default);
        set("valkey_url", String::new(), Source::Default);
        set("queue_prefix", "brightpath:".into(), Source::Default);
        set("log_format", "text".into(), Source::Default);
        set("color", "auto".into(), Source::Default);
        set(
            "actor",
            env("USER").unwrap_or_else(|| "someone".into()),
            Source::Default,
        );

        let (file, file_source_is_explicit) =
            match (&overrides.config_file, env("BRIGHTPATH_CONFIG")) {
                (Some(p), _) => (p.clone(), true),
                (None, Some(p)) => (PathBuf::from(p), true),
                (None, None) => (dirs.config.join("config.toml"), false),
            };
        match std::fs::read_to_string(&file) {
            Ok(text) => {
                for (k, v) in parse_file(&file, &text)? {
                    set(k, v, Source::File(file.clone()));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !file_source_is_explicit => {}
            Err(e) => {
                return Err(Error::invalid(
                    "config",
                    format!("cannot read {}: {e}", file.display()),
                )
                .with_hint("check the path given by --config or BRIGHTPATH_CONFIG"));
            }
        }
        for (k, _) in KEYS {
            let var = format!("BRIGHTPATH_{}", k.to_ascii_uppercase());
            if let Some(v) = env(&var) {
                set(k, v, Source::Env(var));
            }
        }
        for (k, v) in &overrides.values {
            set(k, v.clone(), Source::Flag);
        }
        let config = Config {
            values,
            config_file: file,
            data_dir: dirs.data,
        };
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        let fmt = self.get("log_format");
        if fmt != "text" && fmt != "json" {
            return Err(Error::invalid(
                "log_format",
                format!("{fmt:?} is neither text nor json"),
            ));
        }
        let color = self.get("color");
        if !["auto", "always", "never"].contains(&color) {
            return Err(Error::invalid(
                "color",
                format!("{color:?} is not auto, always or never"),
            ));
        }
        crate::store::Backend::from_url(self.get("database_url"))?;
        Ok(())
    }

    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map(|s| s.value.as_str()).unwrap_or("")
    }

    pub fn setting(&self, key: &str) -> Option<&Setting> {
        self.values.get(key)
    }

    pub fn database_url(&self) -> &str {
        self.get("database_url")
    }

    pub fn valkey_url(&self) -> Option<&str> {
        Some(self.get("valkey_url")).filter(|v| !v.is_empty())
    }

    /// Every setting, with secrets (passwords in URLs) redacted.
    pub fn redacted(&self) -> Vec<(&'static str, Setting)> {
        self.values
            .iter()
            .map(|(k, s)| {
                let mut s = s.clone();
                if SECRET_KEYS.contains(k) {
                    s.value = redact_url(&s.value);
                }
                (*k, s)
            })
            .collect()
    }
}

fn parse_file(path: &Path, text: &str) -> Result<Vec<(&'static str, String)>> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Error::invalid(format!("{}", path.display()), e.message().to_string())
            .with_hint("the config file is TOML: key = \"value\" lines")
    })?;
    let mut out = Vec::new();
    for (k, v) in table {
        let key = KEYS
            .iter()
            .map(|(k, _)| *k)
            .find(|x| *x == k)
            .ok_or_else(|| {
                let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
                Error::invalid(format!("{}: {k}", path.display()), "unknown setting")
                    .with_hint(format!("known settings: {}", known.join(", ")))
            })?;
        let value = match v {
            toml::Value::String(s) => s,
            other => {
                return Err(Error::invalid(
                    format!("{}: {k}", path.display()),
                    format!("expected a string, found {}", other.type_str()),
                ));
            }
        };
        out.push((key, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, String)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn layers_apply_in_order_default_file_env_flag() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg_dir = dir.path().join("cfg/brightpath");
        std::fs::create_dir_all(&cfg_dir).expect("mkdir");
        std::fs::write(
            cfg_dir.join("config.toml"),
            "database_url = \"sqlite:///from-file.db\"\nlog_format = \"json\"\ncolor = \"never\"\n",
        )
        .expect("write");
        let home = dir.path().display().to_string();
        let cfg_home = dir.path().join("cfg").display().to_string();
        let env = env_of(&[
            ("HOME", home),
            ("XDG_CONFIG_HOME", cfg_home),
            ("BRIGHTPATH_DATABASE_URL", "sqlite:///from-env.db".into()),
            ("BRIGHTPATH_LOG_FORMAT", "text".into()),
        ]);
        let flags = Overrides {
            config_file: None,
            values: vec![("database_url", "sqlite:///from-flag.db".into())],
        };
        let c = Config::load(&flags, &env).expect("load");
        assert_eq!(c.get("database_url"), "sqlite:///from-flag.db");
        assert_eq!(
            c.setting("database_url").map(|s| s.source.clone()),
            Some(Source::Flag)
        );
        assert_eq!(c.get("log_format"), "text");
        assert!(matches!(
            c.setting("log_format").map(|s| &s.source),
            Some(Source::Env(_))
        ));
        assert_eq!(c.get("color"), "never");
        assert!(matches!(
            c.setting("color").map(|s| &s.source),
            Some(Source::File(_))
        ));
        assert_eq!(c.get("queue_prefix"), "brightpath:");
        assert_eq!(
            c.setting("queue_prefix").map(|s| s.source.clone()),
            Some(Source::Default)
        );

        let no_flags = Config::load(&Overrides::default(), &env).expect("load");
        assert_eq!(no_flags.get("database_url"), "sqlite:///from-env.db");
    }

    #[test]
    fn default_database_lives_in_xdg_data_home() {
        let env = env_of(&[("HOME", "/home/pat".into())]);
        let c = Config::load(&Overrides::default(), &env).expect("load");
        assert_eq!(
            c.database_url(),
            "sqlite:///home/pat/.local/share/brightpath/brightpath.db"
        );
        let env = env_of(&[
            ("HOME", "/home/pat".into()),
            ("XDG_DATA_HOME", "/data".into()),
        ]);
        let c = Config::load(&Overrides::default(), &env).expect("load");
        assert_eq!(c.database_url(), "sqlite:///data/brightpath/brightpath.db");
    }

    #[test]
    fn secrets_are_redacted_and_bad_files_named() {
        let env = env_of(&[
            ("HOME", "/nowhere".into()),
            (
                "BRIGHTPATH_DATABASE_URL",
                "postgres://bp:hunter2@db/bp".into(),
            ),
        ]);
        let c = Config::load(&Overrides::default(), &env).expect("load");
        let shown = c.redacted();
        let db = shown
            .iter()
            .find(|(k, _)| *k == "database_url")
            .expect("db");
        assert_eq!(db.1.value, "postgres://bp:***@db/bp");

        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "databse_url = \"x\"\n").expect("write");
        let flags = Overrides {
            config_file: Some(file),
            values: vec![],
        };
        let err = Config::load(&flags, &env).expect_err("typo refused");
        assert!(err.to_string().contains("databse_url"), "{err}");
    }
}
