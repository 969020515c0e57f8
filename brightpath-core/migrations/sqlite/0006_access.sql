-- Who may sign in, and how scripts do. A provider's user is keyed by its
-- subject (issuer and `sub`), not by the e-mail, which can change.
CREATE TABLE users (
    subject TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
-- Older children's own logins: their plan and their marks, nothing else.
CREATE TABLE student_logins (
    student_id TEXT PRIMARY KEY REFERENCES students(id) ON DELETE CASCADE,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    email TEXT NOT NULL
);
CREATE INDEX student_logins_email ON student_logins(email);
-- API tokens for scripts and cron: shown once, kept as a SHA-256 digest.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    actor TEXT NOT NULL,
    walled BIGINT NOT NULL,
    scope TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_actor ON api_tokens(actor);
-- Browser sessions end after a while without use, too.
ALTER TABLE web_tokens ADD COLUMN last_seen_at TEXT;
