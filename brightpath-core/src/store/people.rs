//! Families, guardians, students and their availability exceptions.

use jiff::civil::Date;
use sqlx::any::AnyRow;

use super::rows::*;
use super::{Tx, pick_person};
use crate::calendar::{WeeklyAvailability, Window};
use crate::error::{Error, Result};
use crate::model::{AvailabilityException, Family, Guardian, Role, Student};

fn family(row: &AnyRow) -> Result<Family> {
    Ok(Family {
        id: text(row, "id")?,
        coop_id: opt_text(row, "coop_id")?,
        name: text(row, "name")?,
        time_zone: text(row, "time_zone")?,
        version: int(row, "version")?,
    })
}

fn guardian(row: &AnyRow) -> Result<Guardian> {
    Ok(Guardian {
        id: text(row, "id")?,
        family_id: text(row, "family_id")?,
        name: text(row, "name")?,
        email: opt_text(row, "email")?,
        availability: WeeklyAvailability::from_json(&text(row, "availability")?)?,
        version: int(row, "version")?,
    })
}

fn student(row: &AnyRow) -> Result<Student> {
    Ok(Student {
        id: text(row, "id")?,
        family_id: text(row, "family_id")?,
        name: text(row, "name")?,
        birth_date: opt_date(row, "birth_date")?,
        grade: opt_text(row, "grade")?,
        availability: WeeklyAvailability::from_json(&text(row, "availability")?)?,
        max_daily_minutes: opt_uint(row, "max_daily_minutes")?,
        version: int(row, "version")?,
    })
}

impl Tx {
    pub async fn insert_family(&mut self, f: &Family) -> Result<()> {
        sqlx::query(
            "INSERT INTO families (id, coop_id, name, time_zone, version, created_at) VALUES ($1, $2, $3, $4, 1, $5)",
        )
        .bind(&f.id)
        .bind(f.coop_id.clone())
        .bind(&f.name)
        .bind(&f.time_zone)
        .bind(now())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The families in which a guardian has this e-mail address (any case):
    /// the tenants a person signed in with a provider may see.
    pub async fn families_of_email(&mut self, email: &str) -> Result<Vec<Family>> {
        sqlx::query(
            "SELECT DISTINCT f.* FROM families f JOIN people p ON p.family_id = f.id
             WHERE p.role = $1 AND lower(p.email) = lower($2) ORDER BY f.name, f.id",
        )
        .bind(crate::model::Role::Guardian.as_str())
        .bind(email.trim())
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(family)
        .collect()
    }

    /// Every family in the database: for operators and `plan week --all`, not for tenants.
    pub async fn all_families(&mut self) -> Result<Vec<Family>> {
        sqlx::query("SELECT * FROM families ORDER BY name, id")
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(family)
            .collect()
    }

    pub async fn family(&mut self, id: &str) -> Result<Family> {
        let row = sqlx::query("SELECT * FROM families WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or_else(|| Error::not_found("family", id))?;
        family(&row)
    }

    pub async fn update_family(&mut self, f: &Family) -> Result<i64> {
        let n = sqlx::query(
            "UPDATE families SET name = $1, time_zone = $2, version = version + 1 WHERE id = $3 AND version = $4",
        )
        .bind(&f.name)
        .bind(&f.time_zone)
        .bind(&f.id)
        .bind(f.version)
        .execute(self.conn())
        .await?
        .rows_affected();
        if n == 0 {
            let current = self.family(&f.id).await?;
            return Err(Error::conflict(format!(
                "family {} was changed by someone else (now version {})",
                f.name, current.version
            )));
        }
        Ok(f.version + 1)
    }

    /// Deletes a family and, by cascade, everything it holds.
    pub async fn delete_family(&mut self, id: &str) -> Result<()> {
        let n = sqlx::query("DELETE FROM families WHERE id = $1")
            .bind(id)
            .execute(self.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::not_found("family", id));
        }
        Ok(())
    }

    pub async fn insert_guardian(&mut self, family: &str, g: &Guardian) -> Result<()> {
        sqlx::query(
            "INSERT INTO people (id, family_id, name, email, role, availability, version) VALUES ($1, $2, $3, $4, $5, $6, 1)",
        )
        .bind(&g.id)
        .bind(family)
        .bind(&g.name)
        .bind(g.email.clone())
        .bind(Role::Guardian.as_str())
        .bind(g.availability.to_json())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn guardians(&mut self, family: &str) -> Result<Vec<Guardian>> {
        sqlx::query("SELECT * FROM people WHERE family_id = $1 AND role = $2 ORDER BY name")
            .bind(family)
            .bind(Role::Guardian.as_str())
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(guardian)
            .collect()
    }

    pub async fn find_guardian(&mut self, family: &str, key: &str) -> Result<Guardian> {
        let all = self.guardians(family).await?;
        pick_person(&all, key, "guardian", |g| &g.id, |g| &g.name).cloned()
    }

    /// Writes `g` if its version is current; returns the new version.
    pub async fn update_guardian(&mut self, family: &str, g: &Guardian) -> Result<i64> {
        let n = sqlx::query(
            "UPDATE people SET name = $1, email = $2, availability = $3, version = version + 1
             WHERE family_id = $4 AND id = $5 AND version = $6",
        )
        .bind(&g.name)
        .bind(g.email.clone())
        .bind(g.availability.to_json())
        .bind(family)
        .bind(&g.id)
        .bind(g.version)
        .execute(self.conn())
        .await?
        .rows_affected();
        self.check_versioned("people", "guardian", family, &g.id, g.version, n)
            .await?;
        Ok(g.version + 1)
    }

    pub async fn delete_guardian(&mut self, family: &str, id: &str) -> Result<()> {
        self.delete_row("people", "guardian", family, id).await
    }

    pub async fn insert_student(&mut self, family: &str, s: &Student) -> Result<()> {
        sqlx::query(
            "INSERT INTO students (id, family_id, name, birth_date, grade, availability, max_daily_minutes, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
        )
        .bind(&s.id)
        .bind(family)
        .bind(&s.name)
        .bind(s.birth_date.map(|d| d.to_string()))
        .bind(s.grade.clone())
        .bind(s.availability.to_json())
        .bind(s.max_daily_minutes.map(i64::from))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn students(&mut self, family: &str) -> Result<Vec<Student>> {
        sqlx::query("SELECT * FROM students WHERE family_id = $1 ORDER BY name")
            .bind(family)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(student)
            .collect()
    }

    pub async fn find_student(&mut self, family: &str, key: &str) -> Result<Student> {
        let all = self.students(family).await?;
        pick_person(&all, key, "student", |s| &s.id, |s| &s.name).cloned()
    }

    pub async fn update_student(&mut self, family: &str, s: &Student) -> Result<i64> {
        let n = sqlx::query(
            "UPDATE students SET name = $1, birth_date = $2, grade = $3, availability = $4,
             max_daily_minutes = $5, version = version + 1
             WHERE family_id = $6 AND id = $7 AND version = $8",
        )
        .bind(&s.name)
        .bind(s.birth_date.map(|d| d.to_string()))
        .bind(s.grade.clone())
        .bind(s.availability.to_json())
        .bind(s.max_daily_minutes.map(i64::from))
        .bind(family)
        .bind(&s.id)
        .bind(s.version)
        .execute(self.conn())
        .await?
        .rows_affected();
        self.check_versioned("students", "student", family, &s.id, s.version, n)
            .await?;
        Ok(s.version + 1)
    }

    pub async fn delete_student(&mut self, family: &str, id: &str) -> Result<()> {
        self.delete_row("students", "student", family, id).await
    }

    pub async fn insert_exception(
        &mut self,
        family: &str,
        e: &AvailabilityException,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO availability_exceptions (id, family_id, person_id, date, windows, note)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&e.id)
        .bind(family)
        .bind(&e.person_id)
        .bind(e.date.to_string())
        .bind(to_json(&e.windows))
        .bind(&e.note)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Exceptions on dates `from..=to`.
    pub async fn exceptions(
        &mut self,
        family: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<AvailabilityException>> {
        let rows = sqlx::query(
            "SELECT * FROM availability_exceptions WHERE family_id = $1 AND date >= $2 AND date <= $3 ORDER BY date",
        )
        .bind(family)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AvailabilityException {
                    id: text(r, "id")?,
                    person_id: text(r, "person_id")?,
                    date: date(r, "date")?,
                    windows: json::<Vec<Window>>(r, "windows")?,
                    note: text(r, "note")?,
                })
            })
            .collect()
    }

    pub async fn delete_exception(&mut self, family: &str, id: &str) -> Result<()> {
        let n = sqlx::query("DELETE FROM availability_exceptions WHERE family_id = $1 AND id = $2")
            .bind(family)
            .bind(id)
            .execute(self.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::not_found("availability exception", id));
        }
        Ok(())
    }

    pub(super) async fn delete_row(
        &mut self,
        table: &'static str,
        kind: &'static str,
        family: &str,
        id: &str,
    ) -> Result<()> {
        let sql = format!("DELETE FROM {table} WHERE family_id = $1 AND id = $2");
        let n = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(family)
            .bind(id)
            .execute(self.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::not_found(kind, id));
        }
        Ok(())
    }
}
