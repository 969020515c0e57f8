//! School years, their breaks and holidays.

use jiff::civil::Date;

use crate::calendar::Weekday;
use crate::error::{Error, Result};
use crate::model::*;
use crate::services::history::{self, Undo};
use crate::store::{Store, Tx};

use super::{check_name, duplicate};

#[derive(Debug, Clone)]
pub struct YearInput {
    pub name: String,
    pub start: Date,
    pub end: Date,
    pub weekdays: Vec<Weekday>,
    pub target_days: Option<u32>,
    pub target_hours: Option<u32>,
    pub target_core_hours: Option<u32>,
}

/// The school year a family most likely means on `today`: from 17 August
/// (this year's from June on, else last year's) to 28 May, Monday to Friday,
/// 180 days (the most common state requirement). A starting point that
/// `init` offers and a parent changes.
pub fn default_year(today: Date) -> YearInput {
    let y = if today.month() >= 6 {
        today.year()
    } else {
        today.year() - 1
    };
    // Valid for every year of the calendar's range; the fallbacks are unused.
    let start = Date::new(y, 8, 17).unwrap_or(today);
    let end = Date::new(y + 1, 5, 28).unwrap_or(today);
    YearInput {
        name: year_name(start, end),
        start,
        end,
        weekdays: Weekday::ALL[..5].to_vec(),
        target_days: Some(180),
        target_hours: None,
        target_core_hours: None,
    }
}

/// A school year's usual name: "2026-27".
pub fn year_name(start: Date, end: Date) -> String {
    format!("{}-{:02}", start.year(), end.year() % 100)
}

/// The dates a report or an export covers by default: from the start of the
/// school year holding `today` (else a year back) to `to`.
pub fn report_start(years: &[SchoolYear], today: Date) -> Date {
    years
        .iter()
        .find(|y| y.contains(today))
        .map(|y| y.start)
        .unwrap_or_else(|| crate::calendar::add_days(today, -365))
}

/// Where a calendar export ends by default: the end of the school year
/// holding `today` (else a year ahead).
pub fn export_end(years: &[SchoolYear], today: Date) -> Date {
    years
        .iter()
        .find(|y| y.contains(today))
        .map(|y| y.end)
        .unwrap_or_else(|| crate::calendar::add_days(today, 365))
}

pub(super) fn check_span(field: &str, start: Date, end: Date) -> Result<()> {
    if end < start {
        return Err(
            Error::invalid(field, format!("ends on {end}, before it starts on {start}"))
                .with_hint("swap the dates or fix the end date"),
        );
    }
    Ok(())
}

pub async fn add_year(store: &Store, family: &str, input: YearInput) -> Result<SchoolYear> {
    let name = check_name("school year name", &input.name)?;
    check_span("school year", input.start, input.end)?;
    if input.weekdays.is_empty() {
        return Err(Error::invalid("weekdays", "no school day in the week")
            .with_hint("for example mon-fri"));
    }
    let y = SchoolYear {
        id: new_id(),
        name: name.clone(),
        start: input.start,
        end: input.end,
        weekdays: input.weekdays,
        target_days: input.target_days,
        target_hours: input.target_hours,
        target_core_hours: input.target_core_hours,
        version: 1,
    };
    let mut tx = store.write(family).await?;
    if let Some(other) = tx
        .years(family)
        .await?
        .iter()
        .find(|o| o.start <= y.end && y.start <= o.end)
    {
        return Err(Error::invalid(
            "school year",
            format!(
                "{} to {} overlaps the school year {:?} ({} to {})",
                y.start, y.end, other.name, other.start, other.end
            ),
        )
        .with_hint("school years of a family may not overlap; adjust the dates"));
    }
    tx.insert_year(family, &y)
        .await
        .map_err(|e| duplicate("school year", &name, e))?;
    history::note(
        &mut tx,
        family,
        "add_year",
        &format!("added school year {}", y.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(y)
}

/// `expected`: the version the caller read; a record changed since is a
/// conflict and stays (`None`: remove whatever is there now).
pub async fn remove_year(
    store: &Store,
    family: &str,
    key: &str,
    expected: Option<i64>,
) -> Result<SchoolYear> {
    let mut tx = store.write(family).await?;
    let y = tx.find_year(family, key).await?;
    super::unchanged_since(y.version, expected, "the school year")?;
    tx.delete_year(family, &y.id).await?;
    history::note(
        &mut tx,
        family,
        "remove_year",
        &format!("removed school year {}", y.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(y)
}

/// The school year that holds `date`, if any.
pub async fn year_of(tx: &mut Tx, family: &str, date: Date) -> Result<Option<SchoolYear>> {
    Ok(tx
        .years(family)
        .await?
        .into_iter()
        .find(|y| y.contains(date)))
}

#[derive(Debug, Clone)]
pub struct BreakInput {
    /// The year by name or id; `None`: the year that holds `start`.
    pub year: Option<String>,
    pub name: String,
    pub kind: BreakKind,
    pub start: Date,
    pub end: Date,
    /// Student names or ids; empty: the whole family.
    pub students: Vec<String>,
}

pub async fn add_break(store: &Store, family: &str, input: BreakInput) -> Result<Break> {
    let name = check_name("break name", &input.name)?;
    check_span("break", input.start, input.end)?;
    let mut tx = store.write(family).await?;
    let year = match &input.year {
        Some(k) => tx.find_year(family, k).await?,
        None => year_of(&mut tx, family, input.start)
            .await?
            .ok_or_else(|| {
                Error::invalid("break", format!("no school year holds {}", input.start))
                    .with_remedy(crate::Remedy::AddSchoolYear)
            })?,
    };
    if input.start < year.start || input.end > year.end {
        return Err(Error::invalid(
            "break",
            format!(
                "{} to {} is not inside the school year {:?} ({} to {})",
                input.start, input.end, year.name, year.start, year.end
            ),
        ));
    }
    let mut student_ids = Vec::new();
    for k in &input.students {
        student_ids.push(tx.find_student(family, k).await?.id);
    }
    let b = Break {
        id: new_id(),
        school_year_id: year.id,
        name,
        kind: input.kind,
        start: input.start,
        end: input.end,
        student_ids,
    };
    ensure_new_break(&mut tx, family, &b).await?;
    tx.insert_break(family, &b).await?;
    history::note(
        &mut tx,
        family,
        "add_break",
        &format!("added break {} ({} to {})", b.name, b.start, b.end),
        &Undo {
            delete_breaks: vec![b.id.clone()],
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(b)
}

/// Refuses a break that repeats one already there: the same name (in any
/// case), the same days and the same children.
pub(crate) async fn ensure_new_break(tx: &mut Tx, family: &str, b: &Break) -> Result<()> {
    let mut who = b.student_ids.clone();
    who.sort();
    for old in tx.breaks(family).await? {
        let mut old_who = old.student_ids.clone();
        old_who.sort();
        if old.name.eq_ignore_ascii_case(&b.name)
            && old.start == b.start
            && old.end == b.end
            && old_who == who
        {
            return Err(Error::conflict(format!(
                "the break {:?} from {} to {} is already there",
                b.name, b.start, b.end
            ))
            .with_hint("list breaks to see it; remove it first to add it again"));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct YearPatch {
    pub name: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub weekdays: Option<Vec<Weekday>>,
    pub target_days: Option<u32>,
    pub target_hours: Option<u32>,
    pub target_core_hours: Option<u32>,
    pub expected_version: Option<i64>,
}

pub async fn edit_year(store: &Store, family: &str, key: &str, p: YearPatch) -> Result<SchoolYear> {
    let mut tx = store.write(family).await?;
    let mut y = tx.find_year(family, key).await?;
    if let Some(v) = p.expected_version {
        y.version = v;
    }
    if let Some(n) = p.name {
        y.name = check_name("school year name", &n)?;
    }
    y.start = p.start.unwrap_or(y.start);
    y.end = p.end.unwrap_or(y.end);
    check_span("school year", y.start, y.end)?;
    if let Some(d) = p.weekdays {
        y.weekdays = d;
    }
    y.target_days = p.target_days.or(y.target_days);
    y.target_hours = p.target_hours.or(y.target_hours);
    y.target_core_hours = p.target_core_hours.or(y.target_core_hours);
    if let Some(other) = tx
        .years(family)
        .await?
        .iter()
        .find(|o| o.id != y.id && o.start <= y.end && y.start <= o.end)
    {
        return Err(Error::invalid(
            "school year",
            format!(
                "{} to {} overlaps the school year {:?}",
                y.start, y.end, other.name
            ),
        ));
    }
    let name = y.name.clone();
    y.version = tx
        .update_year(family, &y)
        .await
        .map_err(|e| duplicate("school year", &name, e))?;
    history::note(
        &mut tx,
        family,
        "edit_year",
        &format!("edited school year {}", y.name),
        &Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(y)
}

pub async fn remove_break(store: &Store, family: &str, key: &str) -> Result<Break> {
    let mut tx = store.write(family).await?;
    let all = tx.breaks(family).await?;
    let b = crate::store::pick(&all, key, "break", |b| &b.id, |b| &b.name)?.clone();
    tx.delete_break(family, &b.id).await?;
    history::note(
        &mut tx,
        family,
        "remove_break",
        &format!("removed break {} ({} to {})", b.name, b.start, b.end),
        &Undo {
            restore_breaks: vec![b.clone()],
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(t: &str) -> Date {
        t.parse().expect("date")
    }

    #[test]
    fn the_default_year_is_the_one_a_family_is_in_or_about_to_start() {
        let y = default_year(d("2026-11-29"));
        assert_eq!((y.start, y.end), (d("2026-08-17"), d("2027-05-28")));
        assert_eq!(y.name, "2026-27");
        assert_eq!(y.target_days, Some(180));
        // In March the year began last August; from June on the coming one.
        assert_eq!(default_year(d("2027-03-01")).start, d("2026-08-17"));
        assert_eq!(default_year(d("2027-06-10")).start, d("2027-08-17"));
    }

    #[test]
    fn reports_cover_the_school_year_so_far() {
        let y = default_year(d("2026-11-29"));
        let year = SchoolYear {
            id: "y".into(),
            name: y.name,
            start: y.start,
            end: y.end,
            weekdays: y.weekdays,
            target_days: None,
            target_hours: None,
            target_core_hours: None,
            version: 1,
        };
        let years = [year];
        assert_eq!(report_start(&years, d("2026-11-29")), d("2026-08-17"));
        assert_eq!(export_end(&years, d("2026-11-29")), d("2027-05-28"));
        // Outside any year: a year back, a year ahead.
        assert_eq!(report_start(&years, d("2027-07-01")), d("2026-07-01"));
        assert_eq!(export_end(&years, d("2027-07-01")), d("2028-06-30"));
    }
}
