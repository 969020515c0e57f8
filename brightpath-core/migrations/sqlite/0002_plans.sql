-- Weekly plans and their sessions, bound to curriculum lessons.
CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    week_start TEXT NOT NULL,
    score TEXT NOT NULL,
    unscheduled TEXT NOT NULL,
    seed BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (family_id, week_start)
);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    week_start TEXT NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    lesson_id TEXT REFERENCES lessons(id) ON DELETE SET NULL,
    student_ids TEXT NOT NULL,
    teacher_id TEXT,
    date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned',
    pinned BIGINT NOT NULL DEFAULT 0,
    actual_minutes BIGINT,
    grade TEXT,
    note TEXT,
    engagement BIGINT,
    difficulty BIGINT,
    completed_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX sessions_family_week ON sessions(family_id, week_start);
CREATE INDEX sessions_family_date ON sessions(family_id, date);
CREATE TABLE changes (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    undo TEXT NOT NULL,
    undone BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX changes_family_at ON changes(family_id, at);
