//! `config show`: every setting with its effective value, its source and its
//! environment name, secrets hidden.

use serde::Serialize;

use super::keys::{KEYS, Secret};
use super::{Config, Source};
use crate::store::redact_url;

/// One setting as shown to a person or a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub key: &'static str,
    /// The effective value (secrets redacted); `None` when unset.
    pub value: Option<String>,
    pub source: Source,
    /// The canonical environment variable.
    pub env: String,
}

impl Config {
    /// Every setting, in the table's order, with secrets redacted.
    pub fn shown(&self) -> Vec<Shown> {
        let all = serde_json::to_value(&self.settings).unwrap_or_default();
        KEYS.iter()
            .map(|k| {
                let value = k
                    .path
                    .split('.')
                    .try_fold(&all, |v, part| v.get(part))
                    .and_then(text)
                    .map(|v| redact(k.secret, &v));
                Shown {
                    key: k.path,
                    value,
                    source: self.source(k.path),
                    env: k.env(),
                }
            })
            .collect()
    }
}

fn text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// `value` as `config show` may print it.
pub(crate) fn redact(secret: Secret, value: &str) -> String {
    match secret {
        Secret::No => value.to_owned(),
        Secret::Whole if value.is_empty() => String::new(),
        Secret::Whole => "***".into(),
        Secret::UrlPassword => redact_url(value),
        Secret::UrlPath => {
            let Some((scheme, rest)) = value.split_once("://") else {
                return "***".into();
            };
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let authority = &rest[..end];
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let tail = &rest[end..];
            if tail.is_empty() || tail == "/" {
                format!("{scheme}://{host}{tail}")
            } else {
                format!("{scheme}://{host}/***")
            }
        }
    }
}
