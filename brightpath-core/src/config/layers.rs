//! The layers as figment providers: built-in defaults, the TOML file, one
//! provider per environment variable and one per flag. Each names its source
//! in its metadata, so a merged value (and an error) says where it came from.

use std::path::Path;

use figment::value::{Dict, Map, Num, Value};
use figment::{Metadata, Profile, Provider};

use super::keys::{self, KEYS, SECTIONS, SMTP_URL};
use super::{SettingsError, Source};

/// One layer: a dictionary of settings and where it came from.
pub(crate) struct Layer {
    meta: Metadata,
    dict: Dict,
}

impl Provider for Layer {
    fn metadata(&self) -> Metadata {
        self.meta.clone()
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        Ok(Map::from([(Profile::Default, self.dict.clone())]))
    }
}

impl Layer {
    pub(crate) fn new(source: &Source, dict: Dict) -> Layer {
        let meta = match source {
            Source::File(p) => Metadata::from("config file", p.as_path()),
            other => {
                Metadata::named(other.to_string()).source(figment::Source::Custom(other.tag()))
            }
        };
        Layer { meta, dict }
    }

    /// A layer of `(path, text)` pairs (the environment, flags).
    fn of_pairs(source: Source, pairs: &[(&str, String)]) -> Layer {
        let mut dict = Dict::new();
        for (path, value) in pairs {
            put(&mut dict, path, Value::from(value.clone()));
        }
        Layer::new(&source, dict)
    }
}

/// Sets `path` (`smtp.host`) in `dict`, making the section table if needed.
fn put(dict: &mut Dict, path: &str, value: Value) {
    match path.split_once('.') {
        Some((section, rest)) => {
            let entry = dict
                .entry(section.to_owned())
                .or_insert_with(|| Value::from(Dict::new()));
            if let Value::Dict(_, inner) = entry {
                put(inner, rest, value);
            }
        }
        None => {
            dict.insert(path.to_owned(), value);
        }
    }
}

/// The config file's layer. Keys that are not settings are refused, naming
/// the key and the file: a typo must not be silently ignored.
pub(crate) fn file(path: &Path, text: &str) -> Result<Layer, SettingsError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| SettingsError::Toml {
            file: path.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
    let unknown = |key: String, known: Vec<&str>| SettingsError::UnknownKey {
        key,
        file: path.to_owned(),
        known: known.join(", "),
    };
    for (k, v) in &table {
        match (SECTIONS.contains(&k.as_str()), v) {
            (true, toml::Value::Table(fields)) => {
                for field in fields.keys() {
                    let path = format!("{k}.{field}");
                    if keys::find(&path).is_none() {
                        let known = KEYS
                            .iter()
                            .filter(|key| key.split().0 == Some(k.as_str()))
                            .map(|key| key.path)
                            .collect();
                        return Err(unknown(path, known));
                    }
                }
            }
            // A section written as a value: the type check names it.
            (true, _) => {}
            (false, _) if keys::find(k).is_some() => {}
            (false, _) => {
                let mut known: Vec<&str> = KEYS
                    .iter()
                    .filter(|key| key.split().0.is_none())
                    .map(|key| key.path)
                    .collect();
                known.extend(SECTIONS.iter().copied());
                return Err(unknown(k.clone(), known));
            }
        }
    }
    let mut dict = Dict::new();
    for (k, v) in table {
        dict.insert(k, from_toml(v));
    }
    Ok(Layer::new(&Source::File(path.to_owned()), dict))
}

fn from_toml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s),
        toml::Value::Integer(i) => Value::from(Num::I64(i)),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::from(b),
        // An unquoted TOML date (`today = 2026-09-14`) is read as its text.
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(a) => Value::from(a.into_iter().map(from_toml).collect::<Vec<_>>()),
        toml::Value::Table(t) => {
            let dict: Dict = t.into_iter().map(|(k, v)| (k, from_toml(v))).collect();
            Value::from(dict)
        }
    }
}

/// The environment's layers, lowest first: the older names, then the
/// canonical ones (`BRIGHTPATH_SMTP__HOST`), so the canonical name wins when
/// both are set. A blank value of an optional setting counts as unset.
pub(crate) fn env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Vec<Layer>, SettingsError> {
    let mut layers = Vec::new();
    if let Some(url) = lookup(SMTP_URL).filter(|v| !v.trim().is_empty()) {
        let pairs = smtp_url(&url)?;
        layers.push(Layer::of_pairs(Source::Env(SMTP_URL.into()), &pairs));
    }
    for key in KEYS {
        let names = key
            .aliases
            .iter()
            .filter(|a| **a != SMTP_URL)
            .map(|a| a.to_string())
            .chain([key.env()]);
        for name in names {
            let Some(value) = lookup(&name) else { continue };
            if key.optional && value.trim().is_empty() {
                continue;
            }
            let value = if key.optional {
                value.trim().to_owned()
            } else {
                value
            };
            layers.push(Layer::of_pairs(Source::Env(name), &[(key.path, value)]));
        }
    }
    Ok(layers)
}

/// The flags' layers.
pub(crate) fn flags(values: &[(&'static str, String)]) -> Vec<Layer> {
    values
        .iter()
        .map(|(path, value)| {
            let flag = keys::find(path).and_then(|k| k.flag).unwrap_or_default();
            Layer::of_pairs(Source::Flag(flag.into()), &[(*path, value.clone())])
        })
        .collect()
}

/// `BRIGHTPATH_SMTP_URL`: `smtp://[user[:password]@]host[:port]` into
/// `smtp.host`, `smtp.port` (25 when left out) and the login.
fn smtp_url(url: &str) -> Result<Vec<(&'static str, String)>, SettingsError> {
    let bad = |why: &str| SettingsError::BadValue {
        key: "smtp.host".into(),
        from: Source::Env(SMTP_URL.into()),
        expects: "smtp://host[:port]".into(),
        detail: why.to_owned(),
    };
    let rest = match url.trim().split_once("://") {
        Some((s, rest)) if s.eq_ignore_ascii_case("smtp") => rest,
        Some((s, _)) if s.eq_ignore_ascii_case("smtps") => {
            return Err(bad(
                "smtps:// is not read from this variable; use BRIGHTPATH_SMTP__HOST, __PORT and BRIGHTPATH_SMTP__TLS=tls",
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
    let (login, hostport) = match authority.rsplit_once('@') {
        Some((login, hostport)) => (Some(login), hostport),
        None => (None, authority),
    };
    let (host, port) = split_host_port(hostport, 25).map_err(|e| bad(&e))?;
    let mut pairs = vec![("smtp.host", host), ("smtp.port", port.to_string())];
    if let Some(login) = login {
        let (user, password) = login.split_once(':').unwrap_or((login, ""));
        pairs.push(("smtp.username", user.to_owned()));
        if !password.is_empty() {
            pairs.push(("smtp.password", password.to_owned()));
        }
    }
    Ok(pairs)
}

/// `host`, `host:port`, `[v6]` or `[v6]:port` into host (brackets removed)
/// and port (`default_port` when left out). The message says what is wrong.
pub fn split_host_port(authority: &str, default_port: u16) -> Result<(String, u16), String> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .ok_or("an IPv6 address needs its closing `]`")?;
        match after {
            "" => (host, None),
            p => (
                host,
                Some(p.strip_prefix(':').ok_or("expected `:port` after `]`")?),
            ),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    let port = match port {
        None => default_port,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => return Err(format!("bad port {p:?}")),
        },
    };
    Ok((host.to_owned(), port))
}
