//! Running a deployment: the database, settings, the worker and its jobs.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Apply pending migrations.
    Migrate,
    /// Show which migrations are applied.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the effective settings (secrets redacted) and where each came from.
    Show,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Queues to serve, in order (default: default,schedules,ml,notifications).
    #[arg(long, value_delimiter = ',')]
    pub queues: Vec<String>,
    /// Jobs run at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Serve /metrics and /healthz here, e.g. 127.0.0.1:9187.
    #[arg(long)]
    pub metrics: Option<std::net::SocketAddr>,
    /// Do not run the recurring-job scheduler in this worker.
    #[arg(long)]
    pub no_schedules: bool,
}

#[derive(Debug, Subcommand)]
pub enum JobsCmd {
    /// Recent jobs, newest first.
    List {
        #[arg(long)]
        queue: Option<String>,
        /// queued, running, succeeded, failed or dead.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// One job with its payload, result or error.
    Show { id: String },
    /// Run a failed or dead job again.
    Retry { id: String },
    /// Remove finished (succeeded, dead) job records.
    Purge {
        #[arg(long)]
        queue: Option<String>,
        /// Only dead jobs.
        #[arg(long)]
        dead: bool,
    },
    /// The dead-letter queue.
    Dead {
        /// Only this queue (default: all).
        #[arg(long)]
        queue: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Enqueue a job (for scripts).
    #[command(
        after_help = "Examples:\n  brightpath jobs enqueue plan.week --payload '{\"family_id\": \"...\"}' --queue schedules\n  brightpath jobs enqueue system.echo --payload '{\"hi\": 1}' --key once-only"
    )]
    Enqueue {
        kind: String,
        #[arg(long, default_value = "{}")]
        payload: String,
        #[arg(long, default_value = "default")]
        queue: String,
        /// Urgent: taken before normal jobs.
        #[arg(long)]
        urgent: bool,
        /// Idempotency key: a second enqueue with the same key is ignored.
        #[arg(long)]
        key: Option<String>,
    },
}
