-- Each child's own rating of a group lesson (issue 15): a session of several
-- children is marked once, and each child may be rated apart. A field left
-- NULL here is the session's own (sessions.engagement, ...), which stays the
-- rating of single-child lessons and the default for every child. Numbers
-- 0009 and 0010 are taken by other work; the runner applies any it lacks.
CREATE TABLE child_ratings (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    actual_minutes BIGINT,
    engagement BIGINT,
    difficulty BIGINT,
    note TEXT,
    UNIQUE (session_id, student_id)
);
CREATE INDEX child_ratings_family_session ON child_ratings(family_id, session_id);
