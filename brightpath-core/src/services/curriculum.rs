//! Curricula: importing lesson lists from CSV or TOML, and showing them with
//! each student's position.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Course, Lesson, SessionStatus, new_id};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Toml,
}

impl Format {
    /// Guesses the format from a file name.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else if lower.ends_with(".toml") {
            Some(Format::Toml)
        } else {
            None
        }
    }
}

/// One lesson as read from a file, before it is bound to a course.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonRow {
    /// The course by name; may be omitted when the import names one course.
    #[serde(default)]
    pub course: Option<String>,
    pub title: String,
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub resource: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    course: Option<String>,
    #[serde(rename = "lesson", default)]
    lessons: Vec<LessonRow>,
}

/// Parses a lesson list. Every bad row is reported (line numbers count the
/// header as line 1), not only the first.
pub fn parse(source: &str, format: Format, text: &str) -> Result<(Option<String>, Vec<LessonRow>)> {
    match format {
        Format::Csv => parse_csv(source, text).map(|rows| (None, rows)),
        Format::Toml => {
            let file: TomlFile = toml::from_str(text).map_err(|e| {
                let at = e
                    .span()
                    .map(|s| format!(" line {}", text[..s.start.min(text.len())].lines().count().max(1)))
                    .unwrap_or_default();
                Error::invalid(format!("{source}{at}"), e.message().to_string())
                    .with_hint("each lesson is a [[lesson]] table with title and optionally minutes, notes, resource")
            })?;
            for (i, l) in file.lessons.iter().enumerate() {
                check_row(source, &format!("lesson {}", i + 1), l)?;
            }
            Ok((file.course, file.lessons))
        }
    }
}

fn check_row(source: &str, at: &str, row: &LessonRow) -> Result<()> {
    if row.title.trim().is_empty() {
        return Err(
            Error::invalid(format!("{source} {at}, column title"), "is empty")
                .with_hint("every lesson needs a title"),
        );
    }
    if row.minutes == Some(0) || row.minutes.is_some_and(|m| m > 600) {
        return Err(Error::invalid(
            format!("{source} {at}, column minutes"),
            format!(
                "{} is not between 1 and 600",
                row.minutes.unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

fn parse_csv(source: &str, text: &str) -> Result<Vec<LessonRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::invalid(format!("{source} line 1"), e.to_string()))?
        .clone();
    let known = ["course", "title", "minutes", "notes", "resource"];
    for h in headers.iter() {
        if !known.contains(&h.to_ascii_lowercase().as_str()) {
            return Err(Error::invalid(
                format!("{source} line 1"),
                format!("unknown column {h:?}"),
            )
            .with_hint(format!(
                "columns are: {} (title required)",
                known.join(", ")
            )));
        }
    }
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let title = col("title").ok_or_else(|| {
        Error::invalid(format!("{source} line 1"), "no title column")
            .with_hint("the first line names the columns, e.g. title,minutes,notes")
    })?;
    let (course, minutes, notes, resource) =
        (col("course"), col("minutes"), col("notes"), col("resource"));
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_string();
        let mins = get(minutes);
        let parsed_minutes = if mins.is_empty() {
            None
        } else {
            match mins.parse::<u32>() {
                Ok(m) => Some(m),
                Err(_) => {
                    problems.push(format!(
                        "line {line}, column minutes: {mins:?} is not a whole number of minutes"
                    ));
                    continue;
                }
            }
        };
        let row = LessonRow {
            course: Some(get(course)).filter(|c| !c.is_empty()),
            title: get(Some(title)),
            minutes: parsed_minutes,
            notes: get(notes),
            resource: get(resource),
        };
        if let Err(e) = check_row(source, &format!("line {line}"), &row) {
            problems.push(e.to_string().trim_start_matches(source).trim().to_string());
            continue;
        }
        rows.push(row);
    }
    if !problems.is_empty() {
        return Err(Error::invalid(
            source,
            format!(
                "{} bad row(s):\n  {}",
                problems.len(),
                problems.join("\n  ")
            ),
        )
        .with_hint("fix those rows and import again; nothing was imported"));
    }
    Ok(rows)
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub courses: Vec<(String, usize)>,
}

/// Replaces the curricula of the courses named in the file (or of `course`) with
/// its lessons, all in one transaction: on any error nothing changes.
/// How an import meets a curriculum already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// The file becomes the whole curriculum (refused once lessons are done).
    #[default]
    Replace,
    /// The file's lessons follow the last lesson there (allowed at any time).
    Append,
}

/// Imports a curriculum, replacing the course's lessons.
pub async fn import(
    store: &Store,
    family: &str,
    course: Option<&str>,
    source: &str,
    format: Format,
    text: &str,
) -> Result<ImportReport> {
    import_with(
        store,
        family,
        course,
        source,
        format,
        text,
        ImportMode::Replace,
    )
    .await
}

/// Imports a curriculum, replacing or extending the course's lessons.
pub async fn import_with(
    store: &Store,
    family: &str,
    course: Option<&str>,
    source: &str,
    format: Format,
    text: &str,
    mode: ImportMode,
) -> Result<ImportReport> {
    import_checked(store, family, course, source, format, text, mode, false).await
}

/// As [`import_with`]; with `dry_run`, every check runs (rows, courses,
/// lessons already done) and the report says what would be imported, but
/// nothing is written.
#[allow(clippy::too_many_arguments)]
pub async fn import_checked(
    store: &Store,
    family: &str,
    course: Option<&str>,
    source: &str,
    format: Format,
    text: &str,
    mode: ImportMode,
    dry_run: bool,
) -> Result<ImportReport> {
    let (file_course, rows) = parse(source, format, text)?;
    if rows.is_empty() {
        return Err(
            Error::invalid(source, "holds no lessons").with_hint("add at least one lesson row")
        );
    }
    let default_course = course.map(str::to_string).or(file_course);
    let mut by_course: BTreeMap<String, Vec<LessonRow>> = BTreeMap::new();
    for (i, row) in rows.into_iter().enumerate() {
        let name = row
            .course
            .clone()
            .or_else(|| default_course.clone())
            .ok_or_else(|| {
                Error::invalid(format!("{source} lesson {}", i + 1), "names no course")
                    .with_remedy(crate::Remedy::NameCourse)
            })?;
        by_course.entry(name).or_default().push(row);
    }
    let mut tx = store.write(family).await?;
    let mut report = Vec::new();
    for (name, rows) in by_course {
        let c: Course = tx.find_course(family, &name).await?;
        let after = match mode {
            ImportMode::Replace => 0,
            ImportMode::Append => tx
                .lessons(family)
                .await?
                .iter()
                .filter(|l| l.course_id == c.id)
                .map(|l| l.seq)
                .max()
                .unwrap_or(0),
        };
        let lessons: Vec<Lesson> = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| Lesson {
                id: new_id(),
                course_id: c.id.clone(),
                seq: after + i as u32 + 1,
                title: r.title,
                notes: r.notes,
                minutes: r.minutes,
                resource: r.resource,
            })
            .collect();
        if mode == ImportMode::Append {
            tx.insert_lessons(family, &c.id, &lessons).await?;
            report.push((c.name.clone(), lessons.len()));
            continue;
        }
        let in_use = tx.all_sessions(family).await?.iter().any(|s| {
            s.course_id == c.id && s.lesson_id.is_some() && s.status != SessionStatus::Planned
        });
        if in_use {
            return Err(Error::conflict(format!(
                "{} already has lessons marked done; its curriculum cannot be replaced",
                c.name
            ))
            .with_hint(
                "append the new lessons after the last one instead, or import into a new course",
            ));
        }
        tx.replace_lessons(family, &c.id, &lessons).await?;
        report.push((c.name.clone(), lessons.len()));
    }
    let what: Vec<String> = report
        .iter()
        .map(|(c, n)| format!("{n} lessons of {c}"))
        .collect();
    let verb = match mode {
        ImportMode::Replace => "imported",
        ImportMode::Append => "appended",
    };
    let summary = format!("{verb} {} from {source}", what.join(", "));
    if dry_run {
        // Dropping the transaction rolls back whatever was written to check.
        return Ok(ImportReport { courses: report });
    }
    crate::services::history::note(
        &mut tx,
        family,
        "curriculum_import",
        &summary,
        &crate::services::history::Undo::irreversible(),
    )
    .await?;
    tx.commit().await?;
    Ok(ImportReport { courses: report })
}

/// A course's curriculum with, per enrolled student, how far they have come.
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct CurriculumView {
    pub course: Course,
    pub lessons: Vec<Lesson>,
    /// (student name, lessons done, next lesson seq)
    pub positions: Vec<StudentPosition>,
}

#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct StudentPosition {
    pub student: String,
    pub done: usize,
    pub next_seq: Option<u32>,
}

pub async fn show(store: &Store, family: &str, course: &str) -> Result<CurriculumView> {
    let mut tx = store.read().await?;
    let course = tx.find_course(family, course).await?;
    let lessons = tx.course_lessons(family, &course.id).await?;
    let students = tx.students(family).await?;
    let sessions = tx.all_sessions(family).await?;
    let mut positions = Vec::new();
    for e in tx
        .enrollments(family)
        .await?
        .iter()
        .filter(|e| e.course_id == course.id)
    {
        let done: Vec<&str> = sessions
            .iter()
            .filter(|s| s.course_id == course.id && s.student_ids.contains(&e.student_id))
            .filter(|s| s.status == SessionStatus::Done)
            .filter_map(|s| s.lesson_id.as_deref())
            .collect();
        let next_seq = lessons
            .iter()
            .find(|l| l.seq >= e.start_seq && !done.contains(&l.id.as_str()))
            .map(|l| l.seq);
        let name = students
            .iter()
            .find(|s| s.id == e.student_id)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        positions.push(StudentPosition {
            student: name,
            done: done.len(),
            next_seq,
        });
    }
    Ok(CurriculumView {
        course,
        lessons,
        positions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reports_every_bad_row_with_its_line() {
        let mut text = String::from("title,minutes,notes\n");
        for i in 1..=40 {
            let m = if i == 36 {
                "4o".to_string()
            } else {
                "30".to_string()
            };
            text.push_str(&format!("Lesson {i},{m},\n"));
        }
        text.push_str(",20,no title\n");
        let err = parse("math.csv", Format::Csv, &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 37, column minutes: \"4o\""), "{err}");
        assert!(err.contains("line 42"), "{err}");
        assert!(err.contains("2 bad row(s)"), "{err}");
    }

    #[test]
    fn csv_and_toml_parse() {
        let (_, rows) = parse("a.csv", Format::Csv, "title,minutes\nOne,30\nTwo,\n").expect("csv");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].minutes, None);
        let toml = "course = \"Math\"\n[[lesson]]\ntitle = \"Place value\"\nminutes = 40\n";
        let (course, rows) = parse("a.toml", Format::Toml, toml).expect("toml");
        assert_eq!(course.as_deref(), Some("Math"));
        assert_eq!(rows[0].minutes, Some(40));
        let err = parse("a.toml", Format::Toml, "[[lesson]]\ntitel = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("titel"), "{err}");
        let err = parse("a.csv", Format::Csv, "title,lenght\nx,3\n").unwrap_err();
        assert!(err.to_string().contains("lenght"), "{err}");
    }
}
