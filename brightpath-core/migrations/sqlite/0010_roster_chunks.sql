-- A co-op's roster records are kept in chunks instead of a row each: the
-- records of one kind, sorted by sourcedId, as JSON arrays of
-- [sourcedId, family_id, target_id, fields] (a co-op of 100,000 users was
-- 700,000 rows; it is now a few hundred). first_sid names a chunk; an import
-- rewrites only the chunks whose bytes change. Existing records move over in
-- chunks of 1,000 (the next import that changes a kind cuts it its own way).
CREATE TABLE roster_chunks (
    coop_id TEXT NOT NULL REFERENCES coops(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    first_sid TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (coop_id, kind, first_sid)
);
INSERT INTO roster_chunks (coop_id, kind, first_sid, body)
SELECT coop_id, kind, MIN(sourced_id), '[' || group_concat(entry, ',') || ']'
FROM (
    SELECT coop_id, kind, sourced_id,
           '[' || json_quote(sourced_id) || ',' || json_quote(family_id) || ','
               || json_quote(target_id) || ',' || fields || ']' AS entry,
           (row_number() OVER (PARTITION BY coop_id, kind ORDER BY sourced_id) - 1) / 1000 AS n
    FROM roster_records
    ORDER BY coop_id, kind, sourced_id
)
GROUP BY coop_id, kind, n;
DROP TABLE roster_records;
