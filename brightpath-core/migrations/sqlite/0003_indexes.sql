-- Every per-family read is an index range, and deleting a parent row (a
-- lesson, a course, a student) finds its children without scanning: with a
-- thousand families in one database, scans made each family's plan slower
-- the more families there were.
CREATE INDEX enrollments_family ON enrollments(family_id, course_id, student_id);
CREATE INDEX enrollments_student ON enrollments(student_id);
CREATE INDEX lessons_family ON lessons(family_id, course_id, seq);
CREATE INDEX sessions_lesson ON sessions(lesson_id);
CREATE INDEX sessions_course ON sessions(course_id);
CREATE INDEX breaks_year ON breaks(school_year_id);
CREATE INDEX courses_teacher ON courses(teacher_id);
CREATE INDEX people_coop ON people(coop_id);
CREATE INDEX families_coop ON families(coop_id);
