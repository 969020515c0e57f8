//! Running a deployment: the database, settings, the worker and its jobs.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Apply pending migrations.
    #[command(
        after_help = "Examples:\n  brightpath db migrate\n  brightpath --db postgres://user@host/brightpath db migrate"
    )]
    Migrate,
    /// Show which migrations are applied.
    #[command(after_help = "Examples:\n  brightpath db status\n  brightpath db status --json")]
    Status,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the effective settings (secrets redacted) and where each came from.
    #[command(
        after_help = "Examples:\n  brightpath config show\n  brightpath --config ./brightpath.toml config show --json"
    )]
    Show,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Queues to serve, in order (default: default,schedules,ml,notifications).
    #[arg(long, value_delimiter = ',')]
    pub queues: Vec<String>,
    /// Jobs run at once (the worker never holds more than this).
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Serve /metrics and /healthz here, e.g. 127.0.0.1:9187.
    #[arg(long)]
    pub metrics: Option<std::net::SocketAddr>,
    /// Do not run the recurring-job scheduler in this worker.
    #[arg(long)]
    pub no_schedules: bool,
    /// Seconds a job may go without a heartbeat before another worker takes it
    /// over (how fast jobs of a killed worker recover; setting
    /// worker.visibility_timeout, default 30).
    #[arg(long, value_name = "SECS")]
    pub visibility_timeout: Option<f64>,
    /// Seconds between heartbeats of a running job (setting worker.heartbeat;
    /// default: a third of the visibility timeout; at most half of it).
    #[arg(long, value_name = "SECS")]
    pub heartbeat: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum JobsCmd {
    /// Recent jobs, newest first (running ones with their worker and last heartbeat).
    #[command(
        after_help = "Examples:\n  brightpath jobs list\n  brightpath jobs list --queue schedules --status failed --limit 10\n  brightpath jobs list --queues"
    )]
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
        /// Per queue: ready, running and dead counts and the age of the oldest
        /// waiting job, instead of jobs.
        #[arg(long)]
        queues: bool,
    },
    /// One job with its payload, result or error.
    #[command(after_help = "Example:\n  brightpath jobs show 3f2a9c1e --json")]
    Show { id: String },
    /// Run a failed or dead job again (fresh attempts, old error cleared).
    #[command(after_help = "Example:\n  brightpath jobs retry 3f2a9c1e")]
    Retry { id: String },
    /// Remove finished (succeeded, dead) job records.
    #[command(
        after_help = "Examples:\n  brightpath jobs purge --status succeeded\n  brightpath jobs purge --dead --before 2026-11-01"
    )]
    Purge {
        #[arg(long)]
        queue: Option<String>,
        /// Which finished jobs: succeeded, dead or both (default: both).
        #[arg(long, value_delimiter = ',')]
        status: Vec<String>,
        /// Only dead jobs (same as --status dead).
        #[arg(long)]
        dead: bool,
        /// Only jobs finished before this time (RFC 3339, e.g. 2026-12-01T00:00:00Z).
        #[arg(long)]
        before: Option<String>,
    },
    /// The dead-letter queue.
    #[command(
        after_help = "Examples:\n  brightpath jobs dead\n  brightpath jobs dead --queue schedules --limit 10 --json"
    )]
    Dead {
        /// Only this queue (default: all).
        #[arg(long)]
        queue: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Enqueue a job, or many from an NDJSON file (needs valkey_url).
    #[command(
        after_help = "Examples:\n  brightpath jobs enqueue plan.week --payload '{\"family_id\": \"...\"}' --queue schedules\n  brightpath jobs enqueue system.echo --payload @payload.json --key once-only\n  echo '{\"hi\": 1}' | brightpath jobs enqueue system.echo --payload -\n  brightpath jobs enqueue --from jobs.ndjson   # one {\"kind\", \"payload\", \"queue\", \"high\", \"key\", \"max_attempts\", \"run_after\"} per line"
    )]
    Enqueue {
        /// The job kind (one the worker knows, e.g. plan.week, system.echo).
        #[arg(required_unless_present = "from")]
        kind: Option<String>,
        /// JSON payload, `@FILE` to read it from a file, or `-` for stdin (at most 1 MiB).
        #[arg(long, default_value = "{}")]
        payload: String,
        #[arg(long, default_value = "default")]
        queue: String,
        /// High priority: taken before normal jobs.
        #[arg(long, alias = "urgent")]
        high: bool,
        /// Idempotency key: a second enqueue with the same key is ignored.
        #[arg(long)]
        key: Option<String>,
        /// Attempts before the job is dead (default 5).
        #[arg(long)]
        max_attempts: Option<u32>,
        /// Do not run before this time (RFC 3339, e.g. 2026-12-01T07:00:00Z).
        #[arg(long)]
        run_after: Option<String>,
        /// Enqueue every line of this NDJSON file (`-` for stdin) in batches.
        #[arg(long, conflicts_with = "kind")]
        from: Option<String>,
        /// Accept a kind no BrightPath worker knows (a custom worker's).
        #[arg(long)]
        any_kind: bool,
        /// Jobs of one group never run at the same time, on any worker
        /// (plan.week: `family:FAMILY_ID` unless given).
        #[arg(long)]
        group: Option<String>,
    },
}
