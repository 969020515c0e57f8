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
-- Compressed with lz4 where the server has it (a tenth of the size, and
-- faster to write than uncompressed); otherwise stored uncompressed, as
-- PostgreSQL's own pglz costs a big co-op's import seconds of CPU.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE roster_chunks ALTER COLUMN body SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
    EXECUTE 'ALTER TABLE roster_chunks ALTER COLUMN body SET STORAGE EXTERNAL';
END $$;
INSERT INTO roster_chunks (coop_id, kind, first_sid, body)
SELECT coop_id, kind, MIN(sourced_id COLLATE "C"),
       '[' || string_agg(entry, ',' ORDER BY sourced_id COLLATE "C") || ']'
FROM (
    SELECT coop_id, kind, sourced_id,
           '[' || to_json(sourced_id)::TEXT || ',' || COALESCE(to_json(family_id)::TEXT, 'null')
               || ',' || COALESCE(to_json(target_id)::TEXT, 'null') || ',' || fields || ']' AS entry,
           (row_number() OVER (PARTITION BY coop_id, kind ORDER BY sourced_id COLLATE "C") - 1) / 1000 AS n
    FROM roster_records
) r
GROUP BY coop_id, kind, n;
DROP TABLE roster_records;
