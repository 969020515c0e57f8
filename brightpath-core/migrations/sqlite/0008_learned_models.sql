-- What a family's feedback taught (issue 15): each training run that
-- shipped is a version, kept with its metrics and data window; the newest is
-- the current one, so a failed run (which writes nothing) keeps the last.
-- The body is data (learned minutes per child and course, best hours per
-- child and subject, metrics), so core plans with it without the learning code.
CREATE TABLE learned_models (
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    trained_at TEXT NOT NULL,
    data_from TEXT,
    data_to TEXT,
    body TEXT NOT NULL,
    PRIMARY KEY (family_id, version)
);
