-- Roster files uploaded through the API (issue 14): kept so that a dry run
-- and its apply read the very same bytes, and so an import job on another
-- machine (a worker) can read them. Transient: old uploads are pruned when a
-- new one arrives, and backups leave them out.
CREATE TABLE roster_uploads (
    id TEXT PRIMARY KEY,
    coop_id TEXT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    body BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    applied_at TEXT,
    last_job TEXT
);
CREATE INDEX roster_uploads_coop ON roster_uploads(coop_id, uploaded_at);
