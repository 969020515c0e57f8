-- Sign-in for the web app: one-time sign-in links and browser sessions. Only
-- a SHA-256 of each token is kept, so a copy of the database signs nobody in.
CREATE TABLE web_tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX web_tokens_expiry ON web_tokens(expires_at);
