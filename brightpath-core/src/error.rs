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
    /// The caller may not do this (a student's login changing the school,
    /// a read-only token writing) (exit 6 / HTTP 403).
    Forbidden,
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
        remedy: Option<Remedy>,
    },
    #[error("{kind} {name:?} not found")]
    NotFound {
        kind: &'static str,
        name: String,
        hint: Option<String>,
        remedy: Option<Remedy>,
    },
    #[error("{message}")]
    Conflict {
        message: String,
        hint: Option<String>,
        remedy: Option<Remedy>,
    },
    #[error("{message}")]
    Forbidden {
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
            remedy: None,
        }
    }

    pub fn not_found(kind: &'static str, name: impl Into<String>) -> Self {
        Error::NotFound {
            kind,
            name: name.into(),
            hint: None,
            remedy: None,
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Error::Forbidden {
            message: message.into(),
            hint: None,
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
            hint: None,
            remedy: None,
        }
    }

    /// Attach advice on how to mend the problem.
    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        let text = Some(text.into());
        match &mut self {
            Error::Invalid { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::Forbidden { hint, .. } => *hint = text,
            _ => {}
        }
        self
    }

    /// Attach a remedy each surface words its own way (see [`Remedy`]).
    pub fn with_remedy(mut self, r: Remedy) -> Self {
        match &mut self {
            Error::Invalid { remedy, .. }
            | Error::NotFound { remedy, .. }
            | Error::Conflict { remedy, .. } => *remedy = Some(r),
            _ => {}
        }
        self
    }

    pub fn remedy(&self) -> Option<&Remedy> {
        match self {
            Error::Invalid { remedy, .. }
            | Error::NotFound { remedy, .. }
            | Error::Conflict { remedy, .. } => remedy.as_ref(),
            _ => None,
        }
    }

    /// Advice in plain words, naming no surface's commands: the hint given,
    /// else the remedy's plain words.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Invalid { hint, remedy, .. }
            | Error::NotFound { hint, remedy, .. }
            | Error::Conflict { hint, remedy, .. } => {
                hint.as_deref().or(remedy.as_ref().map(Remedy::plain))
            }
            Error::Forbidden { hint, .. } => hint.as_deref(),
            Error::Database(_) => Some("check that the database is reachable"),
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
            Error::Forbidden { .. } => ErrorKind::Forbidden,
            Error::Database(e) if is_unique_violation(e) || is_foreign_key_violation(e) => {
                ErrorKind::Conflict
            }
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
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        };
        f.write_str(s)
    }
}

/// How to mend a problem, as data: each surface says it in its own words
/// (the CLI names a command, the web app a page or a field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// The list of this kind of thing ("student", "course", "session"...)
    /// shows the names and ids to use.
    List(&'static str),
    /// There is no family yet: create one (or build the demo school).
    CreateFamily,
    /// There are several families: name the one to work in.
    ChooseFamily,
    /// A family of that name exists: choose another name or work in it.
    FamilyExists,
    /// No school year holds the dates: add one (or choose other dates).
    AddSchoolYear,
    /// Only someone else's change is left to undo: undo it on purpose.
    ForceUndo,
    /// Select sessions by id, or by a day or a week (and a child).
    SelectSessions,
    /// Say which children and parents attend.
    NameAttendees,
    /// Say which course the lessons belong to.
    NameCourse,
    /// The week's plan shows the free times.
    SeePlan,
    /// The demo fills only an empty database: build it somewhere else.
    DemoElsewhere,
}

impl Remedy {
    /// The remedy in plain words, for a surface with no words of its own.
    pub fn plain(&self) -> &'static str {
        match self {
            Remedy::List(_) => "list them to see the names and ids",
            Remedy::CreateFamily => "create a family first (or build the demo school)",
            Remedy::ChooseFamily => "name the family to work in",
            Remedy::FamilyExists => "choose another name, or work in that family",
            Remedy::AddSchoolYear => "add a school year that holds these dates, or choose others",
            Remedy::ForceUndo => "undo the newest change on purpose, whoever made it",
            Remedy::SelectSessions => {
                "name sessions by id, or choose a day or a week (and a child)"
            }
            Remedy::NameAttendees => "say which children and parents attend",
            Remedy::NameCourse => "name the course, or give each lesson a course",
            Remedy::SeePlan => "choose another time; the week's plan shows the free times",
            Remedy::DemoElsewhere => "build the demo in a throwaway database instead",
        }
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

/// A row names another that is not (or no longer) there: the request and
/// the stored school disagree, which is a conflict, not an outage.
pub(crate) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_foreign_key_violation() || db.message().contains("FOREIGN KEY constraint failed")
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
    fn a_remedy_is_data_with_plain_words_for_any_surface() {
        let e = Error::not_found("student", "Zed").with_remedy(Remedy::List("student"));
        assert_eq!(e.remedy(), Some(&Remedy::List("student")));
        let plain = e.hint().expect("plain words");
        assert!(
            !plain.contains("brightpath") && !plain.contains("--"),
            "{plain}"
        );
        // A hint of the caller's own wins over the remedy's plain words.
        let e = e.with_hint("try Zoe");
        assert_eq!(e.hint(), Some("try Zoe"));
        assert!(e.remedy().is_some());
    }

    #[test]
    fn the_users_input_is_invalid() {
        assert_eq!(Error::invalid("request", "x").kind(), ErrorKind::Invalid);
    }
}
