//! Fixed events: weekly recurring or one-off.

use sqlx::any::AnyRow;

use super::rows::*;
use super::{Tx, pick};
use crate::calendar::Weekday;
use crate::error::{Error, Result};
use crate::model::{FixedEvent, Recurrence, SchoolTime};

fn event(row: &AnyRow) -> Result<FixedEvent> {
    let recurrence = match (opt_text(row, "weekday")?, opt_date(row, "date")?) {
        (Some(d), _) => Recurrence::Weekly(
            Weekday::parse(&d).ok_or_else(|| Error::Internal(format!("bad weekday {d}")))?,
        ),
        (None, Some(d)) => Recurrence::Once(d),
        (None, None) => return Err(Error::Internal("fixed event without a day".into())),
    };
    Ok(FixedEvent {
        id: text(row, "id")?,
        name: text(row, "name")?,
        recurrence,
        window: window(row, "start_time", "end_time")?,
        away: flag(row, "away")?,
        school: {
            let t = text(row, "school")?;
            SchoolTime::parse("school", &t).map_err(|_| corrupt("school", &t))?
        },
        student_ids: json(row, "student_ids")?,
        guardian_ids: json(row, "guardian_ids")?,
        version: int(row, "version")?,
    })
}

fn split(r: &Recurrence) -> (Option<String>, Option<String>) {
    match r {
        Recurrence::Weekly(d) => (Some(d.name().to_string()), None),
        Recurrence::Once(d) => (None, Some(d.to_string())),
    }
}

impl Tx {
    pub async fn insert_event(&mut self, family: &str, e: &FixedEvent) -> Result<()> {
        let (weekday, date) = split(&e.recurrence);
        sqlx::query(
            "INSERT INTO fixed_events (id, family_id, name, weekday, date, start_time, end_time, away,
             student_ids, guardian_ids, school, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)",
        )
        .bind(&e.id)
        .bind(family)
        .bind(&e.name)
        .bind(weekday)
        .bind(date)
        .bind(e.window.start.to_string())
        .bind(e.window.end.to_string())
        .bind(i64::from(e.away))
        .bind(to_json(&e.student_ids))
        .bind(to_json(&e.guardian_ids))
        .bind(e.school.as_str())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn events(&mut self, family: &str) -> Result<Vec<FixedEvent>> {
        sqlx::query("SELECT * FROM fixed_events WHERE family_id = $1 ORDER BY name")
            .bind(family)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(event)
            .collect()
    }

    pub async fn find_event(&mut self, family: &str, key: &str) -> Result<FixedEvent> {
        let all = self.events(family).await?;
        pick(&all, key, "event", |e| &e.id, |e| &e.name).cloned()
    }

    pub async fn update_event(&mut self, family: &str, e: &FixedEvent) -> Result<i64> {
        let (weekday, date) = split(&e.recurrence);
        let n = sqlx::query(
            "UPDATE fixed_events SET name = $1, weekday = $2, date = $3, start_time = $4, end_time = $5,
             away = $6, student_ids = $7, guardian_ids = $8, school = $9, version = version + 1
             WHERE family_id = $10 AND id = $11 AND version = $12",
        )
        .bind(&e.name)
        .bind(weekday)
        .bind(date)
        .bind(e.window.start.to_string())
        .bind(e.window.end.to_string())
        .bind(i64::from(e.away))
        .bind(to_json(&e.student_ids))
        .bind(to_json(&e.guardian_ids))
        .bind(e.school.as_str())
        .bind(family)
        .bind(&e.id)
        .bind(e.version)
        .execute(self.conn())
        .await?
        .rows_affected();
        self.check_versioned("fixed_events", "event", family, &e.id, e.version, n)
            .await?;
        Ok(e.version + 1)
    }

    pub async fn delete_event(&mut self, family: &str, id: &str) -> Result<()> {
        self.delete_row("fixed_events", "event", family, id).await
    }
}
