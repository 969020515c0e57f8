//! The validated request. Validation follows the referee (`plan-check`) rule by
//! rule and in the same order, with the same messages, so a refused request names
//! the same field in both.

pub use crate::day::{ALL_DAYS, DAY_NAMES, Day, hhmm};
use crate::json::{self, Value};

pub use crate::raw::{
    RawFixed, RawLesson, RawRequest, RawStudent, RawTeacher, RawWeights, RawWindow,
};

/// A refused request: the message names the offending field, like the referee's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RequestError(pub String);

/// Penalty weights (all ≥ 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    pub unscheduled: i64,
    pub preferred: i64,
    pub spread: i64,
    pub balance: i64,
    pub idle: i64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            unscheduled: 1000,
            preferred: 10,
            spread: 8,
            balance: 1,
            idle: 1,
        }
    }
}

/// A teacher or a student. Availability is indexed by `Day as usize`, as sorted,
/// merged `(start, end)` minute windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub availability: [Vec<(i64, i64)>; 7],
    /// Students only.
    pub max_daily_minutes: Option<i64>,
}

impl Person {
    /// Whether [a, b) lies inside one window of `day`.
    pub fn available(&self, day: Day, a: i64, b: i64) -> bool {
        self.availability[day.index()]
            .iter()
            .any(|&(x, y)| x <= a && b <= y)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub id: String,
    /// Indexes into `Request::students`.
    pub students: Vec<usize>,
    /// Index into `Request::teachers`.
    pub teacher: Option<usize>,
    pub duration: i64,
    pub sessions: i64,
    pub max_per_day: i64,
    /// Allowed days (calendar order); all seven when the request names none.
    pub days: Vec<Day>,
    pub preferred: Option<(i64, i64)>,
    pub preferred_weight: i64,
    pub priority: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub id: String,
    pub day: Day,
    pub start: i64,
    pub end: i64,
    pub students: Vec<usize>,
    pub teachers: Vec<usize>,
}

/// A validated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub week_start: String,
    pub slot_minutes: i64,
    /// School days in calendar order.
    pub days: Vec<Day>,
    pub teachers: Vec<Person>,
    pub students: Vec<Person>,
    pub lessons: Vec<Lesson>,
    pub fixed: Vec<Fixed>,
    pub weights: Weights,
}

impl Request {
    /// Validates a programmatically built request (through its spec JSON, so the
    /// rules and messages are exactly those of `parse_request`).
    pub fn from_raw(raw: RawRequest) -> Result<Request, RequestError> {
        let text =
            serde_json::to_string(&raw).map_err(|e| RequestError(format!("request: {e}")))?;
        parse_request(&text)
    }

    /// The lesson's allowed school days, in calendar order.
    pub fn allowed_days(&self, lesson: &Lesson) -> Vec<Day> {
        self.days
            .iter()
            .copied()
            .filter(|d| lesson.days.contains(d))
            .collect()
    }

    pub fn lesson_index(&self, id: &str) -> Option<usize> {
        self.lessons.iter().position(|l| l.id == id)
    }
}

/// Parses and validates request JSON.
pub fn parse_request(text: &str) -> Result<Request, RequestError> {
    let v = json::parse(text).map_err(RequestError)?;
    validate(&v).map_err(RequestError)
}

type R<T> = Result<T, String>;

fn fields(obj: &Value, at: &str, required: &[&str], optional: &[&str]) -> R<()> {
    let Value::Object(items) = obj else {
        return Err(format!("{at}: expected an object"));
    };
    for (k, _) in items {
        if !required.contains(&k.as_str()) && !optional.contains(&k.as_str()) && k != "meta" {
            return Err(format!("{at}.{k}: unknown field"));
        }
    }
    for k in required {
        if obj.get(k).is_none() {
            return Err(format!("{at}.{k}: missing"));
        }
    }
    Ok(())
}

fn integer(v: &Value, at: &str, low: Option<i64>) -> R<i64> {
    let Value::Int(i) = v else {
        if let Value::Num(n) = v
            && !n.contains(['.', 'e', 'E', 'n', 'i'])
        {
            return Err(format!("{at}: {n} is out of the supported range"));
        }
        return Err(format!("{at}: {} is not an integer", v.repr()));
    };
    if let Some(low) = low
        && *i < low
    {
        return Err(format!("{at}: {i} is below {low}"));
    }
    Ok(*i)
}

fn ident(v: &Value, at: &str) -> R<String> {
    match v {
        Value::Str(s) if !s.is_empty() && s.chars().count() <= 128 => Ok(s.clone()),
        _ => Err(format!(
            "{at}: {} is not an id (1 to 128 characters)",
            v.repr()
        )),
    }
}

fn clock(v: &Value, at: &str, slot: i64) -> R<i64> {
    let bad = || format!("{at}: {} is not HH:MM", v.repr());
    let Value::Str(s) = v else { return Err(bad()) };
    let b = s.as_bytes();
    if s.len() != 5
        || !s.is_ascii()
        || b[2] != b':'
        || ![0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
    {
        return Err(bad());
    }
    let h = i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0');
    let m = i64::from(b[3] - b'0') * 10 + i64::from(b[4] - b'0');
    if h > 24 || m >= 60 || h * 60 + m > 1440 {
        return Err(format!("{at}: {} is out of 00:00..24:00", v.repr()));
    }
    let t = h * 60 + m;
    if t % slot != 0 {
        return Err(format!("{at}: {s} is not on the {slot}-minute grid"));
    }
    Ok(t)
}

fn day_name(v: &Value) -> Option<Day> {
    v.as_str().and_then(Day::from_name)
}

fn day_list(v: &Value, at: &str) -> R<Vec<Day>> {
    let Value::Array(items) = v else {
        return Err(format!("{at}: expected a list of day names"));
    };
    let mut out = Vec::new();
    for (i, d) in items.iter().enumerate() {
        match day_name(d) {
            Some(day) => out.push(day),
            None => return Err(format!("{at}[{i}]: {} is not a day name", d.repr())),
        }
    }
    let mut sorted = out.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != out.len() {
        return Err(format!("{at}: repeated day"));
    }
    Ok(sorted)
}

fn windows(av: &Value, at: &str, slot: i64) -> R<[Vec<(i64, i64)>; 7]> {
    let Value::Object(items) = av else {
        return Err(format!("{at}: expected an object of day name -> windows"));
    };
    let mut out: [Vec<(i64, i64)>; 7] = Default::default();
    for (d, ws) in items {
        if d == "meta" {
            continue;
        }
        let Some(day) = Day::from_name(d) else {
            return Err(format!("{at}.{d}: not a day name"));
        };
        let Value::Array(ws) = ws else {
            return Err(format!("{at}.{d}: expected a list of [start, end]"));
        };
        let mut spans = Vec::new();
        for (i, w) in ws.iter().enumerate() {
            let pair = match w {
                Value::Array(p) if p.len() == 2 => p,
                _ => return Err(format!("{at}.{d}[{i}]: expected [start, end]")),
            };
            let a = clock(&pair[0], &format!("{at}.{d}[{i}][0]"), slot)?;
            let b = clock(&pair[1], &format!("{at}.{d}[{i}][1]"), slot)?;
            if a >= b {
                let (x, y) = (
                    pair[0].as_str().unwrap_or(""),
                    pair[1].as_str().unwrap_or(""),
                );
                return Err(format!("{at}.{d}[{i}]: start {x} is not before end {y}"));
            }
            spans.push((a, b));
        }
        spans.sort();
        let mut merged: Vec<(i64, i64)> = Vec::new();
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        // A repeated day key is refused by the reader, so this is the only entry.
        out[day.index()] = merged;
    }
    Ok(out)
}

/// Days since 0000-03-01 style civil count; only the weekday matters here.
fn weekday(y: i64, m: i64, d: i64) -> i64 {
    // Sakamoto's method: 0 = Sunday.
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    (y + y / 4 - y / 100 + y / 400 + t[(m - 1) as usize] + d).rem_euclid(7)
}

fn week_start(v: &Value) -> R<String> {
    let bad = || format!("week_start: {} is not an ISO date (YYYY-MM-DD)", v.repr());
    let Value::Str(s) = v else { return Err(bad()) };
    let b = s.as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9];
    if s.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits.iter().all(|&i| b[i].is_ascii_digit())
    {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_len = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if y < 1 || d < 1 || d > month_len {
        return Err(bad());
    }
    if weekday(y, m, d) != 1 {
        return Err(format!("week_start: {s} is not a Monday"));
    }
    Ok(s.clone())
}

fn validate(req: &Value) -> R<Request> {
    fields(
        req,
        "request",
        &[
            "version",
            "week_start",
            "days",
            "teachers",
            "students",
            "lessons",
        ],
        &["slot_minutes", "fixed", "weights"],
    )?;
    let get = |k: &str| req.get(k).unwrap_or(&Value::Null);
    if get("version") != &Value::Int(1) {
        return Err(format!("version: {} is not 1", get("version").repr()));
    }
    let week = week_start(get("week_start"))?;
    let slot = integer(
        req.get("slot_minutes").unwrap_or(&Value::Int(5)),
        "slot_minutes",
        Some(1),
    )?;
    if 60 % slot != 0 {
        return Err(format!("slot_minutes: {slot} does not divide 60"));
    }
    let days = day_list(get("days"), "days")?;
    let mut weights = Weights::default();
    if let Some(w) = req.get("weights") {
        fields(
            w,
            "weights",
            &[],
            &["unscheduled", "preferred", "spread", "balance", "idle"],
        )?;
        if let Value::Object(items) = w {
            for (k, v) in items {
                let x = integer(v, &format!("weights.{k}"), Some(0));
                match k.as_str() {
                    "unscheduled" => weights.unscheduled = x?,
                    "preferred" => weights.preferred = x?,
                    "spread" => weights.spread = x?,
                    "balance" => weights.balance = x?,
                    "idle" => weights.idle = x?,
                    _ => {}
                }
            }
        }
    }
    let teachers = people(get("teachers"), "teachers", slot)?;
    let students = people(get("students"), "students", slot)?;
    let lessons = lessons(get("lessons"), slot, &weights, &teachers, &students)?;
    let fixed = fixed(req.get("fixed"), slot, &teachers, &students)?;
    Ok(Request {
        week_start: week,
        slot_minutes: slot,
        days,
        teachers,
        students,
        lessons,
        fixed,
        weights,
    })
}

fn people(v: &Value, key: &str, slot: i64) -> R<Vec<Person>> {
    let Value::Array(items) = v else {
        return Err(format!("{key}: expected a list"));
    };
    let mut out: Vec<Person> = Vec::new();
    let optional: &[&str] = if key == "students" {
        &["max_daily_minutes"]
    } else {
        &[]
    };
    for (i, p) in items.iter().enumerate() {
        let at = format!("{key}[{i}]");
        fields(p, &at, &["id", "availability"], optional)?;
        let id = ident(p.get("id").unwrap_or(&Value::Null), &format!("{at}.id"))?;
        if out.iter().any(|q| q.id == id) {
            return Err(format!("{at}.id: {} repeats", json::py_str(&id)));
        }
        let cap = match p.get("max_daily_minutes") {
            Some(c) => Some(integer(c, &format!("{at}.max_daily_minutes"), Some(1))?),
            None => None,
        };
        let availability = windows(
            p.get("availability").unwrap_or(&Value::Null),
            &format!("{at}.availability"),
            slot,
        )?;
        out.push(Person {
            id,
            availability,
            max_daily_minutes: cap,
        });
    }
    Ok(out)
}

fn index_of(people: &[Person], v: &Value) -> Option<usize> {
    let s = v.as_str()?;
    people.iter().position(|p| p.id == s)
}

fn member_list(v: &[Value], at: &str, people: &[Person], what: &str) -> R<Vec<usize>> {
    let mut out = Vec::new();
    for (j, s) in v.iter().enumerate() {
        match index_of(people, s) {
            Some(k) => out.push(k),
            None => return Err(format!("{at}[{j}]: {} is not a {what}", s.repr())),
        }
    }
    Ok(out)
}

fn has_repeats(v: &[usize]) -> bool {
    let mut s = v.to_vec();
    s.sort_unstable();
    s.windows(2).any(|w| w[0] == w[1])
}

fn lessons(
    v: &Value,
    slot: i64,
    weights: &Weights,
    teachers: &[Person],
    students: &[Person],
) -> R<Vec<Lesson>> {
    let Value::Array(items) = v else {
        return Err("lessons: expected a list".into());
    };
    let mut out: Vec<Lesson> = Vec::new();
    for (i, l) in items.iter().enumerate() {
        let at = format!("lessons[{i}]");
        fields(
            l,
            &at,
            &["id", "students", "teacher", "duration", "sessions"],
            &[
                "max_per_day",
                "days",
                "preferred",
                "preferred_weight",
                "priority",
            ],
        )?;
        let f = |k: &str| l.get(k).unwrap_or(&Value::Null);
        let id = ident(f("id"), &format!("{at}.id"))?;
        if out.iter().any(|q| q.id == id) {
            return Err(format!("{at}.id: {} repeats", json::py_str(&id)));
        }
        let members = match f("students") {
            Value::Array(s) if !s.is_empty() => {
                member_list(s, &format!("{at}.students"), students, "student")?
            }
            _ => return Err(format!("{at}.students: expected a non-empty list")),
        };
        if has_repeats(&members) {
            return Err(format!("{at}.students: repeated student"));
        }
        let teacher = match f("teacher") {
            Value::Null => None,
            t => match index_of(teachers, t) {
                Some(k) => Some(k),
                None => return Err(format!("{at}.teacher: {} is not a teacher", t.repr())),
            },
        };
        let duration = integer(f("duration"), &format!("{at}.duration"), Some(1))?;
        if duration % slot != 0 {
            return Err(format!(
                "{at}.duration: {duration} is not a multiple of slot_minutes {slot}"
            ));
        }
        let preferred = match l.get("preferred") {
            None => None,
            Some(Value::Array(p)) if p.len() == 2 => {
                let a = clock(&p[0], &format!("{at}.preferred[0]"), slot)?;
                let b = clock(&p[1], &format!("{at}.preferred[1]"), slot)?;
                if a >= b {
                    return Err(format!("{at}.preferred: start is not before end"));
                }
                Some((a, b))
            }
            Some(_) => return Err(format!("{at}.preferred: expected [start, end]")),
        };
        let opt_int = |k: &str, default: i64, low: i64| match l.get(k) {
            Some(v) => integer(v, &format!("{at}.{k}"), Some(low)),
            None => Ok(default),
        };
        let sessions = integer(f("sessions"), &format!("{at}.sessions"), Some(1))?;
        let max_per_day = opt_int("max_per_day", 1, 1)?;
        let days = match l.get("days") {
            Some(d) => day_list(d, &format!("{at}.days"))?,
            None => ALL_DAYS.to_vec(),
        };
        let preferred_weight = opt_int("preferred_weight", weights.preferred, 0)?;
        let priority = opt_int("priority", 1, 1)?;
        out.push(Lesson {
            id,
            students: members,
            teacher,
            duration,
            sessions,
            max_per_day,
            days,
            preferred,
            preferred_weight,
            priority,
        });
    }
    Ok(out)
}

fn fixed(v: Option<&Value>, slot: i64, teachers: &[Person], students: &[Person]) -> R<Vec<Fixed>> {
    let items = match v {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("fixed: expected a list".into()),
    };
    let mut out: Vec<Fixed> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (i, f) in items.iter().enumerate() {
        let at = format!("fixed[{i}]");
        fields(
            f,
            &at,
            &["id", "day", "start", "end"],
            &["students", "teachers"],
        )?;
        let g = |k: &str| f.get(k).unwrap_or(&Value::Null);
        let id = ident(g("id"), &format!("{at}.id"))?;
        if ids.contains(&id) {
            return Err(format!("{at}.id: {} repeats", json::py_str(&id)));
        }
        ids.push(id.clone());
        let Some(day) = day_name(g("day")) else {
            return Err(format!("{at}.day: {} is not a day name", g("day").repr()));
        };
        let a = clock(g("start"), &format!("{at}.start"), slot)?;
        let b = clock(g("end"), &format!("{at}.end"), slot)?;
        if a >= b {
            return Err(format!("{at}: start is not before end"));
        }
        let empty = Value::Array(Vec::new());
        let (Value::Array(ss), Value::Array(ts)) = (
            f.get("students").unwrap_or(&empty),
            f.get("teachers").unwrap_or(&empty),
        ) else {
            return Err(format!("{at}: students and teachers must be lists"));
        };
        let ss = member_list(ss, &format!("{at}.students"), students, "student")?;
        let ts = member_list(ts, &format!("{at}.teachers"), teachers, "teacher")?;
        if has_repeats(&ss) || has_repeats(&ts) {
            return Err(format!("{at}: repeated attendee"));
        }
        if ss.is_empty() && ts.is_empty() {
            return Err(format!("{at}: names no student and no teacher"));
        }
        out.push(Fixed {
            id,
            day,
            start: a,
            end: b,
            students: ss,
            teachers: ts,
        });
    }
    Ok(out)
}
