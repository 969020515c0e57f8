-- Events say whether their time is school time, and whether it counts as core
-- or elective hours; a dentist's appointment is neither. Until now every away
-- event counted as elective school time: existing away events keep that, so
-- no family's records change on upgrade.
ALTER TABLE fixed_events ADD COLUMN school TEXT NOT NULL DEFAULT 'no';
UPDATE fixed_events SET school = 'elective' WHERE away <> 0;
-- How much a course's preferred time weighs against the planner's other
-- wishes; NULL is the planner's default weight.
ALTER TABLE courses ADD COLUMN preferred_weight BIGINT;
