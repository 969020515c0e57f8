//! Courses, enrollments and curricula (the ordered lessons of a course).

use jiff::civil::Date;
use sqlx::any::AnyRow;

use super::rows::*;
use super::{Tx, pick};
use crate::calendar::Weekday;
use crate::error::Result;
use crate::model::{Course, Enrollment, Lesson};

fn course(row: &AnyRow) -> Result<Course> {
    let preferred = match (
        opt_text(row, "preferred_start")?,
        opt_text(row, "preferred_end")?,
    ) {
        (Some(_), Some(_)) => Some(window(row, "preferred_start", "preferred_end")?),
        _ => None,
    };
    Ok(Course {
        id: text(row, "id")?,
        name: text(row, "name")?,
        subject: text(row, "subject")?,
        core: flag(row, "core")?,
        lesson_minutes: uint(row, "lesson_minutes")?,
        sessions_per_week: uint(row, "sessions_per_week")?,
        max_per_day: uint(row, "max_per_day")?,
        teacher_id: opt_text(row, "teacher_id")?,
        grouped: flag(row, "grouped")?,
        preferred,
        preferred_weight: opt_uint(row, "preferred_weight")?,
        weekdays: opt_text(row, "weekdays")?.map(|t| weekdays(&t)),
        priority: uint(row, "priority")?,
        version: int(row, "version")?,
    })
}

fn lesson(row: &AnyRow) -> Result<Lesson> {
    Ok(Lesson {
        id: text(row, "id")?,
        course_id: text(row, "course_id")?,
        seq: uint(row, "seq")?,
        title: text(row, "title")?,
        notes: text(row, "notes")?,
        minutes: opt_uint(row, "minutes")?,
        resource: text(row, "resource")?,
    })
}

impl Tx {
    pub async fn insert_course(&mut self, family: &str, c: &Course) -> Result<()> {
        sqlx::query(
            "INSERT INTO courses (id, family_id, name, subject, core, lesson_minutes, sessions_per_week,
             max_per_day, teacher_id, grouped, preferred_start, preferred_end, weekdays, priority,
             preferred_weight, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1)",
        )
        .bind(&c.id)
        .bind(family)
        .bind(&c.name)
        .bind(&c.subject)
        .bind(i64::from(c.core))
        .bind(i64::from(c.lesson_minutes))
        .bind(i64::from(c.sessions_per_week))
        .bind(i64::from(c.max_per_day))
        .bind(c.teacher_id.clone())
        .bind(i64::from(c.grouped))
        .bind(c.preferred.map(|w| w.start.to_string()))
        .bind(c.preferred.map(|w| w.end.to_string()))
        .bind(c.weekdays.as_deref().map(Weekday::join))
        .bind(i64::from(c.priority))
        .bind(c.preferred_weight.map(i64::from))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn courses(&mut self, family: &str) -> Result<Vec<Course>> {
        sqlx::query("SELECT * FROM courses WHERE family_id = $1 ORDER BY name")
            .bind(family)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(course)
            .collect()
    }

    pub async fn find_course(&mut self, family: &str, key: &str) -> Result<Course> {
        let all = self.courses(family).await?;
        pick(&all, key, "course", |c| &c.id, |c| &c.name).cloned()
    }

    pub async fn update_course(&mut self, family: &str, c: &Course) -> Result<i64> {
        let n = sqlx::query(
            "UPDATE courses SET name = $1, subject = $2, core = $3, lesson_minutes = $4, sessions_per_week = $5,
             max_per_day = $6, teacher_id = $7, grouped = $8, preferred_start = $9, preferred_end = $10,
             weekdays = $11, priority = $12, preferred_weight = $13, version = version + 1
             WHERE family_id = $14 AND id = $15 AND version = $16",
        )
        .bind(&c.name)
        .bind(&c.subject)
        .bind(i64::from(c.core))
        .bind(i64::from(c.lesson_minutes))
        .bind(i64::from(c.sessions_per_week))
        .bind(i64::from(c.max_per_day))
        .bind(c.teacher_id.clone())
        .bind(i64::from(c.grouped))
        .bind(c.preferred.map(|w| w.start.to_string()))
        .bind(c.preferred.map(|w| w.end.to_string()))
        .bind(c.weekdays.as_deref().map(Weekday::join))
        .bind(i64::from(c.priority))
        .bind(c.preferred_weight.map(i64::from))
        .bind(family)
        .bind(&c.id)
        .bind(c.version)
        .execute(self.conn())
        .await?
        .rows_affected();
        self.check_versioned("courses", "course", family, &c.id, c.version, n)
            .await?;
        Ok(c.version + 1)
    }

    pub async fn delete_course(&mut self, family: &str, id: &str) -> Result<()> {
        self.delete_row("courses", "course", family, id).await
    }

    pub async fn insert_enrollment(&mut self, family: &str, e: &Enrollment) -> Result<()> {
        sqlx::query(
            "INSERT INTO enrollments (id, family_id, course_id, student_id, start_seq) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&e.id)
        .bind(family)
        .bind(&e.course_id)
        .bind(&e.student_id)
        .bind(i64::from(e.start_seq))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn enrollments(&mut self, family: &str) -> Result<Vec<Enrollment>> {
        let rows = sqlx::query(
            "SELECT * FROM enrollments WHERE family_id = $1 ORDER BY course_id, student_id",
        )
        .bind(family)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Enrollment {
                    id: text(r, "id")?,
                    course_id: text(r, "course_id")?,
                    student_id: text(r, "student_id")?,
                    start_seq: uint(r, "start_seq")?,
                })
            })
            .collect()
    }

    /// Sets the curriculum lesson an enrollment starts at.
    pub async fn set_start_seq(&mut self, family: &str, id: &str, seq: u32) -> Result<()> {
        sqlx::query("UPDATE enrollments SET start_seq = $1 WHERE family_id = $2 AND id = $3")
            .bind(i64::from(seq.max(1)))
            .bind(family)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn delete_enrollment(&mut self, family: &str, id: &str) -> Result<()> {
        self.delete_row("enrollments", "enrollment", family, id)
            .await
    }

    /// Replaces a course's curriculum with `lessons` (numbered 1.. in order).
    pub async fn replace_lessons(
        &mut self,
        family: &str,
        course_id: &str,
        lessons: &[Lesson],
    ) -> Result<()> {
        sqlx::query("DELETE FROM lessons WHERE family_id = $1 AND course_id = $2")
            .bind(family)
            .bind(course_id)
            .execute(self.conn())
            .await?;
        self.insert_lessons(family, course_id, lessons).await
    }

    /// Adds lessons to a course's curriculum (their `seq` set by the caller).
    pub async fn insert_lessons(
        &mut self,
        family: &str,
        course_id: &str,
        lessons: &[Lesson],
    ) -> Result<()> {
        for l in lessons {
            sqlx::query(
                "INSERT INTO lessons (id, family_id, course_id, seq, title, notes, minutes, resource)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&l.id)
            .bind(family)
            .bind(course_id)
            .bind(i64::from(l.seq))
            .bind(&l.title)
            .bind(&l.notes)
            .bind(l.minutes.map(i64::from))
            .bind(&l.resource)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// Every curriculum lesson of the family, ordered by course and sequence.
    pub async fn lessons(&mut self, family: &str) -> Result<Vec<Lesson>> {
        sqlx::query("SELECT * FROM lessons WHERE family_id = $1 ORDER BY course_id, seq")
            .bind(family)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(lesson)
            .collect()
    }

    /// The lessons of the sessions dated `from..=to` (a week's view needs
    /// only those, not every curriculum).
    pub async fn lessons_of_sessions_between(
        &mut self,
        family: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<Lesson>> {
        sqlx::query(
            "SELECT * FROM lessons WHERE family_id = $1 AND id IN \
             (SELECT lesson_id FROM sessions WHERE family_id = $1 AND date >= $2 AND date <= $3) \
             ORDER BY course_id, seq",
        )
        .bind(family)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(lesson)
        .collect()
    }

    pub async fn course_lessons(&mut self, family: &str, course_id: &str) -> Result<Vec<Lesson>> {
        sqlx::query("SELECT * FROM lessons WHERE family_id = $1 AND course_id = $2 ORDER BY seq")
            .bind(family)
            .bind(course_id)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(lesson)
            .collect()
    }
}
