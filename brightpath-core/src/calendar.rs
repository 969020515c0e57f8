//! Calendar arithmetic: weekdays, clock times, time windows, weekly availability
//! patterns and ISO weeks. Pure: no clock, no I/O.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::{Date, ISOWeekDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::planner::Day;
use crate::planner::request::ALL_DAYS;

impl From<Day> for Weekday {
    fn from(d: Day) -> Weekday {
        Weekday::ALL[d.index()]
    }
}

impl From<Weekday> for Day {
    fn from(w: Weekday) -> Day {
        ALL_DAYS[w.index()]
    }
}

/// A day of the week, named as in the plan format (`mon`..`sun`); the same
/// days as the planner's `Day` (`From` both ways), with serde and dates.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn name(self) -> &'static str {
        Day::from(self).name()
    }

    /// 0 for Monday .. 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn of(date: Date) -> Weekday {
        Weekday::ALL[date.weekday().to_monday_zero_offset() as usize]
    }

    /// `mon` or `Monday` (any case); not `monkey`. The planner's parser, the
    /// one every surface uses.
    pub fn parse(text: &str) -> Option<Weekday> {
        Day::parse(text).map(Weekday::from)
    }

    /// Parses `mon,wed,fri`, `mon-fri` or `weekdays`.
    pub fn parse_set(field: &str, text: &str) -> Result<Vec<Weekday>> {
        let t = text.trim().to_ascii_lowercase();
        if t == "weekdays" {
            return Ok(Weekday::ALL[..5].to_vec());
        }
        if t == "all" || t == "every day" {
            return Ok(Weekday::ALL.to_vec());
        }
        let mut out = Vec::new();
        for part in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || {
                Error::invalid(field, format!("{part:?} is not a weekday"))
                    .with_hint("use names like mon,wed,fri or a range like mon-fri")
            };
            if let Some((a, b)) = part.split_once('-') {
                let (a, b) = (
                    Weekday::parse(a).ok_or_else(bad)?,
                    Weekday::parse(b).ok_or_else(bad)?,
                );
                if a > b {
                    return Err(Error::invalid(
                        field,
                        format!("range {part:?} runs backwards"),
                    ));
                }
                out.extend(Weekday::ALL[a.index()..=b.index()].iter().copied());
            } else {
                out.push(Weekday::parse(part).ok_or_else(bad)?);
            }
        }
        if out.is_empty() {
            return Err(Error::invalid(field, "no weekday given").with_hint("for example mon-fri"));
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    pub fn join(days: &[Weekday]) -> String {
        days.iter().map(|d| d.name()).collect::<Vec<_>>().join(",")
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A time of day in minutes since midnight, 0..=1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Clock(pub u16);

impl Clock {
    pub fn parse(field: &str, text: &str) -> Result<Clock> {
        let bad = || {
            Error::invalid(field, format!("{text:?} is not a time"))
                .with_hint("write times as HH:MM, for example 08:30")
        };
        let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
        let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        // Hours first: 2202 * 60 does not fit in a u16 (found by fuzzing).
        if h > 24 || m >= 60 || h * 60 + m > 1440 {
            return Err(bad());
        }
        Ok(Clock(h * 60 + m))
    }

    pub fn minutes(self) -> u32 {
        u32::from(self.0)
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for Clock {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `HH:MM`, 00:00 to 24:00.
#[cfg(feature = "openapi")]
impl schemars::JsonSchema for Clock {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Clock".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$",
            "description": "a time of day, HH:MM",
            "examples": ["08:30"]
        })
    }
}

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Clock::parse("time", &s).map_err(serde::de::Error::custom)
    }
}

/// A half-open span of a day, `start` < `end`.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Window {
    pub start: Clock,
    pub end: Clock,
}

impl Window {
    pub fn new(field: &str, start: Clock, end: Clock) -> Result<Window> {
        if start >= end {
            return Err(Error::invalid(
                field,
                format!("window {start}-{end} is empty or ends before it starts"),
            )
            .with_hint("the end must come after the start, e.g. 08:00-12:00"));
        }
        Ok(Window { start, end })
    }

    /// Parses `08:00-12:00`.
    pub fn parse(field: &str, text: &str) -> Result<Window> {
        let (a, b) = text.trim().split_once('-').ok_or_else(|| {
            Error::invalid(field, format!("{text:?} is not a time window"))
                .with_hint("write windows as HH:MM-HH:MM, for example 08:00-12:00")
        })?;
        Window::new(field, Clock::parse(field, a)?, Clock::parse(field, b)?)
    }

    pub fn overlaps(&self, other: &Window) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn minutes(&self) -> u32 {
        self.end.minutes() - self.start.minutes()
    }

    pub fn pair(&self) -> [String; 2] {
        [self.start.to_string(), self.end.to_string()]
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// Parses `08:00-12:00,13:00-15:00`, refusing overlapping windows.
pub fn parse_windows(field: &str, text: &str) -> Result<Vec<Window>> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        out.push(Window::parse(field, part)?);
    }
    out.sort();
    for pair in out.windows(2) {
        if pair[0].overlaps(&pair[1]) {
            return Err(Error::invalid(
                field,
                format!("windows {} and {} overlap", pair[0], pair[1]),
            )
            .with_hint("merge them into one window or make them touch"));
        }
    }
    Ok(out)
}

/// A weekly pattern: for each weekday, the windows in which a person is free.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyAvailability(pub BTreeMap<Weekday, Vec<Window>>);

impl WeeklyAvailability {
    /// Parses `mon-fri 08:00-12:00,13:00-15:00; sat 09:00-11:00`. Parts that
    /// name the same day add to it (`mon-fri 08:00-12:00; mon 13:00-14:00`
    /// is Monday morning and afternoon); windows of one day that overlap are
    /// refused, whichever parts they come from.
    pub fn parse(field: &str, text: &str) -> Result<WeeklyAvailability> {
        let mut map: BTreeMap<Weekday, Vec<Window>> = BTreeMap::new();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (days, windows) = part.split_once(char::is_whitespace).ok_or_else(|| {
                Error::invalid(field, format!("{part:?} has days but no times"))
                    .with_hint("write e.g. \"mon-fri 08:00-12:00,13:00-15:00; sat 09:00-11:00\"")
            })?;
            let windows = parse_windows(field, windows)?;
            for d in Weekday::parse_set(field, days)? {
                let day = map.entry(d).or_default();
                day.extend(windows.iter().copied());
                day.sort();
                if let Some(pair) = day.windows(2).find(|p| p[0].overlaps(&p[1])) {
                    return Err(Error::invalid(
                        field,
                        format!("on {d}, windows {} and {} overlap", pair[0], pair[1]),
                    )
                    .with_hint(
                        "each day's windows must not overlap; merge them or make them touch",
                    ));
                }
            }
        }
        if map.values().all(Vec::is_empty) {
            return Err(Error::invalid(field, "no time is available in the week")
                .with_hint("write e.g. \"mon-fri 08:00-15:00\""));
        }
        Ok(WeeklyAvailability(map))
    }

    pub fn on(&self, day: Weekday) -> &[Window] {
        self.0.get(&day).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn from_json(text: &str) -> Result<WeeklyAvailability> {
        serde_json::from_str(text)
            .map_err(|e| Error::Internal(format!("stored availability is unreadable: {e}")))
    }
}

impl fmt::Display for WeeklyAvailability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(d, ws)| {
                let ws: Vec<String> = ws.iter().map(Window::to_string).collect();
                format!("{d} {}", ws.join(","))
            })
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// The years a date may fall in. Schools are planned within these, and day
/// by day walks over a span of them stay short and never reach the end of
/// the calendar (where adding a day would fail).
pub const YEARS: std::ops::RangeInclusive<i16> = 1900..=2199;

pub fn parse_date(field: &str, text: &str) -> Result<Date> {
    let date = text.trim().parse::<Date>().map_err(|_| {
        Error::invalid(field, format!("{text:?} is not a date"))
            .with_hint("write dates as YYYY-MM-DD, for example 2026-09-07")
    })?;
    in_range(field, date)
}

fn in_range(field: &str, date: Date) -> Result<Date> {
    if YEARS.contains(&date.year()) {
        return Ok(date);
    }
    Err(Error::invalid(
        field,
        format!(
            "{date} is outside the years {} to {}",
            YEARS.start(),
            YEARS.end()
        ),
    )
    .with_hint("check the year"))
}

/// The Monday of the week named by `2026-09-07` (any day in it) or `2026-W37`.
pub fn parse_week(field: &str, text: &str) -> Result<Date> {
    let t = text.trim();
    if let Some((y, w)) = t.split_once("-W").or_else(|| t.split_once("-w")) {
        let bad = || {
            Error::invalid(field, format!("{text:?} is not an ISO week"))
                .with_hint("write weeks as 2026-W37 or as any date in the week")
        };
        let y: i16 = y.parse().map_err(|_| bad())?;
        let w: i8 = w.parse().map_err(|_| bad())?;
        let iso = ISOWeekDate::new(y, w, jiff::civil::Weekday::Monday).map_err(|_| bad())?;
        return in_range(field, iso.date());
    }
    Ok(monday_of(parse_date(field, t)?))
}

pub fn monday_of(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}

pub fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days))
        .unwrap_or(date)
}

/// Today where the family lives (its IANA time zone; the machine's when the
/// zone is unknown), unless `fixed` overrides it (the `today` setting).
pub fn family_today(time_zone: &str, fixed: Option<Date>) -> Date {
    if let Some(d) = fixed {
        return d;
    }
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or_else(|_| jiff::tz::TimeZone::system());
    jiff::Timestamp::now().to_zoned(tz).date()
}

/// When a mark made now is recorded as made (RFC 3339): the clock's instant
/// when `today` is the real today where the family lives, else the same time
/// of day on `today` (the `today` setting, a simulated year), so marks in a
/// simulated year carry simulated dates.
pub fn marked_at(time_zone: &str, today: Date) -> String {
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or_else(|_| jiff::tz::TimeZone::system());
    let now = jiff::Timestamp::now().to_zoned(tz.clone());
    if now.date() == today {
        return now.timestamp().to_string();
    }
    today
        .to_datetime(now.time())
        .to_zoned(tz)
        .map(|z| z.timestamp().to_string())
        .unwrap_or_else(|_| now.timestamp().to_string())
}

/// The week a family plans on `today`: this week on a school day, the next one
/// from Saturday on (families plan the coming week at the weekend).
pub fn planning_week(today: Date) -> Date {
    match Weekday::of(today) {
        Weekday::Sat | Weekday::Sun => add_days(monday_of(today), 7),
        _ => monday_of(today),
    }
}

/// The seven dates of the week starting on `monday`.
pub fn week_dates(monday: Date) -> [Date; 7] {
    std::array::from_fn(|i| add_days(monday, i as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_on_a_simulated_day_carries_that_day() {
        let day = Date::constant(2020, 1, 2);
        assert!(marked_at("UTC", day).starts_with("2020-01-02T"));
        // Chicago's 2 January ends at 06:00 UTC on the 3rd.
        let at: jiff::Timestamp = marked_at("America/Chicago", day)
            .parse()
            .expect("timestamp");
        let tz = jiff::tz::TimeZone::get("America/Chicago").expect("zone");
        assert_eq!(at.to_zoned(tz).date(), day);
        let real = family_today("UTC", None);
        assert!(marked_at("UTC", real).starts_with(&real.to_string()));
    }

    #[test]
    fn availability_round_trips_and_refuses_overlap() {
        let a =
            WeeklyAvailability::parse("avail", "mon-fri 08:00-12:00,13:00-15:00; sat 09:00-11:00")
                .expect("valid");
        assert_eq!(a.on(Weekday::Wed).len(), 2);
        assert_eq!(a.on(Weekday::Sun).len(), 0);
        assert_eq!(
            WeeklyAvailability::parse("a", &a.to_string()).expect("again"),
            a
        );
        let err = WeeklyAvailability::parse("avail", "mon 08:00-12:00,11:00-13:00").unwrap_err();
        assert!(err.to_string().contains("overlap"), "{err}");
        let err = WeeklyAvailability::parse("avail", "mon 12:00-08:00").unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
    }

    #[test]
    fn parts_naming_the_same_day_add_to_it() {
        let a = WeeklyAvailability::parse("hours", "mon-fri 08:00-12:00; mon 13:00-14:00")
            .expect("valid");
        let mon: Vec<String> = a.on(Weekday::Mon).iter().map(Window::to_string).collect();
        assert_eq!(
            mon,
            ["08:00-12:00", "13:00-14:00"],
            "Monday keeps its morning"
        );
        assert_eq!(a.on(Weekday::Tue).len(), 1);
        let err =
            WeeklyAvailability::parse("hours", "mon-fri 08:00-12:00; mon 11:00-14:00").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("Mon") || msg.contains("mon"), "{msg}");
        assert!(
            msg.contains("08:00-12:00") && msg.contains("11:00-14:00"),
            "{msg}"
        );
    }

    #[test]
    fn dates_far_in_the_past_or_future_are_refused() {
        for text in ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"] {
            let err = parse_date("end", text).expect_err(text);
            assert!(err.to_string().contains("outside the years"), "{err}");
        }
        assert!(parse_week("week", "9999-W52").is_err());
        assert!(parse_date("d", "2199-12-31").is_ok());
    }

    #[test]
    fn huge_hours_are_refused_not_wrapped() {
        // 1093 * 60 wraps to 44 in a u16: once "1093:00" read as 00:44.
        for text in ["1093:00", "2202:0", "65535:59", "25:00", "24:01"] {
            assert!(Clock::parse("t", text).is_err(), "{text}");
        }
        assert_eq!(Clock::parse("t", "24:00").expect("midnight").0, 1440);
    }

    #[test]
    fn weeks_parse_as_iso_or_date() {
        let d = parse_week("week", "2026-W37").expect("iso");
        assert_eq!(d.to_string(), "2026-09-07");
        assert_eq!(parse_week("week", "2026-09-10").expect("date"), d);
        assert!(parse_week("week", "2026-W60").is_err());
        assert!(parse_week("week", "tomorrow").is_err());
    }

    #[test]
    fn weekday_sets() {
        assert_eq!(Weekday::parse_set("d", "mon-wed,fri").expect("ok").len(), 4);
        assert!(Weekday::parse_set("d", "fri-mon").is_err());
        assert!(Weekday::parse_set("d", "funday").is_err());
    }

    #[test]
    fn weekdays_parse_strictly() {
        assert_eq!(Weekday::parse("monkey"), None);
        assert_eq!(Weekday::parse("Wednesday"), Some(Weekday::Wed));
        assert!(Weekday::parse_set("d", "monkey,wed").is_err());
        assert!(Weekday::parse_set("d", "mon-friday").is_ok());
        for d in Weekday::ALL {
            assert_eq!(Weekday::from(Day::from(d)), d);
            assert_eq!(Weekday::parse(d.name()), Some(d));
        }
    }
}
