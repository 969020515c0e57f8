//! School years and their breaks.

use sqlx::any::AnyRow;

use super::rows::*;
use super::{Tx, pick};
use crate::calendar::Weekday;
use crate::error::{Error, Result};
use crate::model::{Break, BreakKind, SchoolYear};

fn year(row: &AnyRow) -> Result<SchoolYear> {
    Ok(SchoolYear {
        id: text(row, "id")?,
        name: text(row, "name")?,
        start: date(row, "start_date")?,
        end: date(row, "end_date")?,
        weekdays: weekdays(&text(row, "weekdays")?),
        target_days: opt_uint(row, "target_days")?,
        target_hours: opt_uint(row, "target_hours")?,
        target_core_hours: opt_uint(row, "target_core_hours")?,
        version: int(row, "version")?,
    })
}

fn brk(row: &AnyRow) -> Result<Break> {
    let kind = text(row, "kind")?;
    Ok(Break {
        id: text(row, "id")?,
        school_year_id: text(row, "school_year_id")?,
        name: text(row, "name")?,
        kind: BreakKind::parse(&kind)
            .ok_or_else(|| Error::Internal(format!("unknown break kind {kind}")))?,
        start: date(row, "start_date")?,
        end: date(row, "end_date")?,
        student_ids: json(row, "student_ids")?,
    })
}

impl Tx {
    pub async fn insert_year(&mut self, family: &str, y: &SchoolYear) -> Result<()> {
        sqlx::query(
            "INSERT INTO school_years (id, family_id, name, start_date, end_date, weekdays,
             target_days, target_hours, target_core_hours, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)",
        )
        .bind(&y.id)
        .bind(family)
        .bind(&y.name)
        .bind(y.start.to_string())
        .bind(y.end.to_string())
        .bind(Weekday::join(&y.weekdays))
        .bind(y.target_days.map(i64::from))
        .bind(y.target_hours.map(i64::from))
        .bind(y.target_core_hours.map(i64::from))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn years(&mut self, family: &str) -> Result<Vec<SchoolYear>> {
        sqlx::query("SELECT * FROM school_years WHERE family_id = $1 ORDER BY start_date")
            .bind(family)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(year)
            .collect()
    }

    pub async fn find_year(&mut self, family: &str, key: &str) -> Result<SchoolYear> {
        let all = self.years(family).await?;
        pick(&all, key, "school year", |y| &y.id, |y| &y.name).cloned()
    }

    pub async fn update_year(&mut self, family: &str, y: &SchoolYear) -> Result<i64> {
        let n = sqlx::query(
            "UPDATE school_years SET name = $1, start_date = $2, end_date = $3, weekdays = $4,
             target_days = $5, target_hours = $6, target_core_hours = $7, version = version + 1
             WHERE family_id = $8 AND id = $9 AND version = $10",
        )
        .bind(&y.name)
        .bind(y.start.to_string())
        .bind(y.end.to_string())
        .bind(Weekday::join(&y.weekdays))
        .bind(y.target_days.map(i64::from))
        .bind(y.target_hours.map(i64::from))
        .bind(y.target_core_hours.map(i64::from))
        .bind(family)
        .bind(&y.id)
        .bind(y.version)
        .execute(self.conn())
        .await?
        .rows_affected();
        self.check_versioned("school_years", "school year", family, &y.id, y.version, n)
            .await?;
        Ok(y.version + 1)
    }

    pub async fn delete_year(&mut self, family: &str, id: &str) -> Result<()> {
        self.delete_row("school_years", "school year", family, id)
            .await
    }

    pub async fn insert_break(&mut self, family: &str, b: &Break) -> Result<()> {
        sqlx::query(
            "INSERT INTO breaks (id, family_id, school_year_id, name, kind, start_date, end_date, student_ids)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&b.id)
        .bind(family)
        .bind(&b.school_year_id)
        .bind(&b.name)
        .bind(b.kind.as_str())
        .bind(b.start.to_string())
        .bind(b.end.to_string())
        .bind(to_json(&b.student_ids))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn breaks(&mut self, family: &str) -> Result<Vec<Break>> {
        sqlx::query("SELECT * FROM breaks WHERE family_id = $1 ORDER BY start_date, name")
            .bind(family)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(brk)
            .collect()
    }

    pub async fn delete_break(&mut self, family: &str, id: &str) -> Result<()> {
        self.delete_row("breaks", "break", family, id).await
    }
}
