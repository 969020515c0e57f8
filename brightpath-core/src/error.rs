//! Typed errors of the core. Each carries enough for a surface to tell a person
//! what is wrong and how to mend it; `kind()` maps it to an exit code or HTTP status.

use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, at the level a surface needs to decide how to report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is wrong: fix it and retry (exit 2 / HTTP 400, 422).
    Invalid,
    /// A named thing does not exist (exit 3 / HTTP 404).
    NotFound,
    /// A duplicate or a stale write (exit 4 / HTTP 409).
    Conflict,
    /// The database, the bus or the filesystem failed (exit 5 / HTTP 503).
    Unavailable,
    /// A bug or an unexpected state (exit 70 / HTTP 500).
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{field}: {message}")]
    Invalid {
        field: String,
        message: String,
        hint: Option<String>,
    },
    #[error("{kind} {name:?} not found")]
    NotFound {
        kind: &'static str,
        name: String,
        hint: Option<String>,
    },
    #[error("{message}")]
    Conflict {
        message: String,
        hint: Option<String>,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration {version} ({name}) failed: {message}")]
    Migration {
        version: i64,
        name: String,
        message: String,
    },
    /// The database server did not answer (down, refused, too slow).
    #[error("cannot reach {backend} at {place}: {cause}")]
    Unreachable {
        backend: &'static str,
        place: String,
        cause: String,
    },
    #[error("{0}")]
    Io(String),
    /// The planner refused a request that core built: a bug, not the user's
    /// input (a request file given by the user is `Invalid`).
    #[error("the planner refused the request BrightPath built: {0}")]
    Planner(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn not_found(kind: &'static str, name: impl Into<String>) -> Self {
        Error::NotFound {
            kind,
            name: name.into(),
            hint: None,
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
            hint: None,
        }
    }

    /// Attach advice on how to mend the problem.
    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        let text = Some(text.into());
        match &mut self {
            Error::Invalid { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. } => *hint = text,
            _ => {}
        }
        self
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Invalid { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. } => hint.as_deref(),
            Error::Database(_) => {
                Some("check that the database is reachable (brightpath db status)")
            }
            Error::Unreachable { .. } => Some(
                "check that the server runs and that the URL's host and port are right \
                 (BRIGHTPATH_CONNECT_TIMEOUT sets the wait in seconds)",
            ),
            Error::Planner(_) | Error::Internal(_) => {
                Some("this is a bug in BrightPath: please report it with the command you ran")
            }
            _ => None,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Database(e) if is_unique_violation(e) => ErrorKind::Conflict,
            Error::Database(_)
            | Error::Unreachable { .. }
            | Error::Io(_)
            | Error::Migration { .. } => ErrorKind::Unavailable,
            Error::Planner(_) | Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ErrorKind::Invalid => "invalid",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        };
        f.write_str(s)
    }
}

/// A UNIQUE constraint failed, on either backend.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_unique_violation() || db.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planner_refusal_of_a_request_core_built_is_internal() {
        let e = Error::Planner("lessons[0].duration: 0 is not positive".into());
        assert_eq!(e.kind(), ErrorKind::Internal);
        assert!(e.hint().is_some_and(|h| h.contains("bug")));
    }

    #[test]
    fn the_users_input_is_invalid() {
        assert_eq!(Error::invalid("request", "x").kind(), ErrorKind::Invalid);
    }
}
