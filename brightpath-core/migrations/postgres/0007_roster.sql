-- Co-op rosters imported from OneRoster or BrightPath CSV: every record a
-- co-op's files hold, keyed by its sourcedId, in a canonical JSON form (so an
-- unchanged re-import is found unchanged and an export gives the same files
-- back). family_id and target_id tie a record to what BrightPath made of it
-- (a user's student or guardian, a class meeting's fixed event).
CREATE TABLE roster_records (
    coop_id TEXT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    sourced_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    family_id TEXT REFERENCES families(id) ON DELETE SET NULL,
    target_id TEXT,
    PRIMARY KEY (coop_id, kind, sourced_id)
);
CREATE INDEX roster_records_family ON roster_records(family_id);
