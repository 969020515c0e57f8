//! Decoding portable rows (TEXT, BIGINT) into domain values.

use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::calendar::{Clock, Weekday, Window};
use crate::error::{Error, Result};

pub(super) fn text(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(super) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(super) fn int(row: &AnyRow, col: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(super) fn opt_int(row: &AnyRow, col: &str) -> Result<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub(super) fn uint(row: &AnyRow, col: &str) -> Result<u32> {
    u32::try_from(int(row, col)?).map_err(|_| corrupt(col, "out of range"))
}

pub(super) fn opt_uint(row: &AnyRow, col: &str) -> Result<Option<u32>> {
    opt_int(row, col)?
        .map(|v| u32::try_from(v).map_err(|_| corrupt(col, "out of range")))
        .transpose()
}

pub(super) fn flag(row: &AnyRow, col: &str) -> Result<bool> {
    Ok(int(row, col)? != 0)
}

pub(super) fn date(row: &AnyRow, col: &str) -> Result<Date> {
    let t = text(row, col)?;
    t.parse().map_err(|_| corrupt(col, &t))
}

pub(super) fn opt_date(row: &AnyRow, col: &str) -> Result<Option<Date>> {
    opt_text(row, col)?
        .map(|t| t.parse().map_err(|_| corrupt(col, &t)))
        .transpose()
}

pub(super) fn clock(row: &AnyRow, col: &str) -> Result<Clock> {
    Clock::parse(col, &text(row, col)?).map_err(|_| corrupt(col, "bad time"))
}

pub(super) fn window(row: &AnyRow, start: &str, end: &str) -> Result<Window> {
    Ok(Window {
        start: clock(row, start)?,
        end: clock(row, end)?,
    })
}

pub(super) fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T> {
    let t = text(row, col)?;
    serde_json::from_str(&t).map_err(|e| corrupt(col, &e.to_string()))
}

pub(super) fn weekdays(text: &str) -> Vec<Weekday> {
    text.split(',').filter_map(Weekday::parse).collect()
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

pub(super) fn corrupt(col: &str, what: &str) -> Error {
    Error::Internal(format!("stored value of {col} is unreadable: {what}"))
}

pub(super) fn now() -> String {
    jiff::Timestamp::now().to_string()
}
