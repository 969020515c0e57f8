-- The family's school: tenants, people, years, courses, curricula, events.
-- Every row carries its tenant (family_id or coop_id); every query filters by it.
CREATE TABLE coops (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE families (
    id TEXT PRIMARY KEY,
    coop_id TEXT REFERENCES coops(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    family_id TEXT REFERENCES families(id) ON DELETE CASCADE,
    coop_id TEXT REFERENCES coops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT,
    role TEXT NOT NULL,
    availability TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (family_id IS NOT NULL OR coop_id IS NOT NULL)
);
CREATE UNIQUE INDEX people_family_name ON people(family_id, name);
CREATE TABLE students (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    birth_date TEXT,
    grade TEXT,
    availability TEXT NOT NULL,
    max_daily_minutes BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (family_id, name)
);
CREATE TABLE availability_exceptions (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    date TEXT NOT NULL,
    windows TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX availability_exceptions_family ON availability_exceptions(family_id, date);
CREATE TABLE school_years (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    weekdays TEXT NOT NULL,
    target_days BIGINT,
    target_hours BIGINT,
    target_core_hours BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (family_id, name)
);
CREATE TABLE breaks (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    school_year_id TEXT NOT NULL REFERENCES school_years(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    student_ids TEXT NOT NULL
);
CREATE INDEX breaks_family ON breaks(family_id, start_date);
CREATE TABLE courses (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    subject TEXT NOT NULL,
    core BIGINT NOT NULL,
    lesson_minutes BIGINT NOT NULL,
    sessions_per_week BIGINT NOT NULL,
    max_per_day BIGINT NOT NULL DEFAULT 1,
    teacher_id TEXT REFERENCES people(id) ON DELETE SET NULL,
    grouped BIGINT NOT NULL DEFAULT 0,
    preferred_start TEXT,
    preferred_end TEXT,
    weekdays TEXT,
    priority BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (family_id, name)
);
CREATE TABLE enrollments (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    start_seq BIGINT NOT NULL DEFAULT 1,
    UNIQUE (course_id, student_id)
);
CREATE TABLE lessons (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    minutes BIGINT,
    resource TEXT NOT NULL DEFAULT '',
    UNIQUE (course_id, seq)
);
CREATE TABLE fixed_events (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    weekday TEXT,
    date TEXT,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    away BIGINT NOT NULL DEFAULT 0,
    student_ids TEXT NOT NULL,
    guardian_ids TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (family_id, name)
);
