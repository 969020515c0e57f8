//! Typed errors of the bus.

use thiserror::Error;

/// What can go wrong talking to the bus.
#[derive(Debug, Error)]
pub enum BusError {
    /// The URL names no backend we know.
    #[error(
        "unsupported bus URL `{0}`: use `memory://` (or nothing) for in-process jobs, or `valkey://host:port` / `redis://host:port`"
    )]
    UnsupportedUrl(String),
    /// A Valkey URL that cannot be parsed (the reason only: URLs may hold passwords).
    #[error("invalid bus URL: {0}; expected e.g. `valkey://127.0.0.1:6379`")]
    InvalidUrl(String),
    /// A queue name that cannot be used as part of a key.
    #[error(
        "invalid queue name `{0}`: use lowercase letters, digits, `-` and `_` (1-64 characters)"
    )]
    InvalidQueue(String),
    /// The Valkey server could not be reached or answered with an error.
    #[error("valkey: {0}")]
    Valkey(#[from] redis::RedisError),
    /// Valkey answered something this version does not understand.
    #[error("unexpected reply from valkey: {0}")]
    Protocol(String),
    /// A stored job could not be decoded.
    #[error("corrupt job record {id}: {reason}")]
    Corrupt { id: String, reason: String },
    /// No job with this id (it may have expired after the retention period).
    #[error("no job with id {0} (it may have been purged or expired)")]
    NotFound(String),
    /// The operation does not apply to a job in its current state.
    #[error("job {id} is {status}: {hint}")]
    InvalidState {
        id: String,
        status: String,
        hint: &'static str,
    },
    /// A schedule rule that cannot be parsed or evaluated.
    #[error("invalid schedule: {0}")]
    Schedule(String),
    /// JSON (de)serialization of a payload or result failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

impl BusError {
    /// True when retrying later may succeed (the server is down or restarting).
    pub fn is_transient(&self) -> bool {
        match self {
            BusError::Valkey(e) => {
                e.is_io_error()
                    || e.is_connection_dropped()
                    || e.is_connection_refusal()
                    || e.is_timeout()
                    || matches!(
                        e.kind(),
                        redis::ErrorKind::Server(redis::ServerErrorKind::BusyLoading)
                    )
            }
            _ => false,
        }
    }
}

/// Result alias of the bus.
pub type Result<T, E = BusError> = std::result::Result<T, E>;
