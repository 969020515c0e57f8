//! course, enrollment and curriculum commands.

use anyhow::Result;
use brightpath_core::Error;
use brightpath_core::calendar::{Weekday, Window};
use brightpath_core::model::short;
use brightpath_core::services::curriculum::{self, Format};
use brightpath_core::services::lists;
use brightpath_core::services::school::*;

use super::Ctx;
use crate::args::*;
use crate::output::Table;

pub async fn course(ctx: &Ctx, c: CourseCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let table = |list: &[lists::CourseRow]| {
        let mut t = Table::new(&[
            "id",
            "name",
            "subject",
            "kind",
            "minutes",
            "per week",
            "teacher",
            "students",
            "preferred",
            "days",
            "priority",
            "version",
        ]);
        for row in list {
            let c = &row.course;
            let teacher = row.teacher.clone().unwrap_or_else(|| "independent".into());
            let who = if c.grouped {
                format!("{} (together)", row.students.join(", "))
            } else {
                row.students.join(", ")
            };
            t.row(vec![
                short(&c.id).into(),
                c.name.clone(),
                c.subject.clone(),
                if c.core { "core" } else { "elective" }.into(),
                c.lesson_minutes.to_string(),
                c.sessions_per_week.to_string(),
                teacher,
                who,
                match (c.preferred, c.preferred_weight) {
                    (Some(w), Some(n)) => format!("{w} (weight {n})"),
                    (Some(w), None) => w.to_string(),
                    (None, _) => String::new(),
                },
                c.weekdays
                    .as_deref()
                    .map(Weekday::join)
                    .unwrap_or_else(|| "any".into()),
                c.priority.to_string(),
                c.version.to_string(),
            ]);
        }
        t
    };
    let preferred = |p: &Option<String>| {
        p.as_deref()
            .map(|w| Window::parse("--preferred", w))
            .transpose()
    };
    let days = |d: &Option<String>| {
        d.as_deref()
            .map(|d| Weekday::parse_set("--days", d))
            .transpose()
    };
    match c {
        CourseCmd::List => {
            let list = lists::courses(&store, &f.id).await?;
            ctx.ui.emit(&list, &table(&list))
        }
        CourseCmd::Add {
            name,
            fields,
            students: who,
        } => {
            let need = |v: Option<u32>, flag: &str, eg: &str| {
                v.ok_or_else(|| {
                    Error::invalid(flag, "is required").with_hint(format!("e.g. {flag} {eg}"))
                })
            };
            let c = add_course(
                &store,
                &f.id,
                CourseInput {
                    name,
                    subject: fields.subject.clone().ok_or_else(|| {
                        Error::invalid("--subject", "is required").with_hint("e.g. --subject math")
                    })?,
                    core: !fields.elective,
                    lesson_minutes: need(fields.minutes, "--minutes", "45")?,
                    sessions_per_week: need(fields.per_week, "--per-week", "5")?,
                    max_per_day: fields.max_per_day.unwrap_or(1),
                    teacher: fields.teacher.clone(),
                    grouped: fields.group,
                    preferred: preferred(&fields.preferred)?,
                    preferred_weight: fields.preferred_weight,
                    weekdays: days(&fields.days)?,
                    priority: fields.priority.unwrap_or(1),
                    students: who,
                },
            )
            .await?;
            ctx.ui.note(&format!("Added {}. Import its lessons with `brightpath curriculum import FILE --course '{}'`.", c.name, c.name));
            let list = lists::courses(&store, &f.id).await?;
            let c: Vec<lists::CourseRow> =
                list.into_iter().filter(|x| x.course.id == c.id).collect();
            ctx.ui.emit(&c, &table(&c))
        }
        CourseCmd::Edit {
            course,
            rename,
            fields,
            core,
            independent,
            solo,
            if_version,
        } => {
            let c = edit_course(
                &store,
                &f.id,
                &course,
                CoursePatch {
                    name: rename,
                    subject: fields.subject.clone(),
                    core: if fields.elective {
                        Some(false)
                    } else if core {
                        Some(true)
                    } else {
                        None
                    },
                    lesson_minutes: fields.minutes,
                    sessions_per_week: fields.per_week,
                    max_per_day: fields.max_per_day,
                    teacher: if independent {
                        Some(None)
                    } else {
                        fields.teacher.clone().map(Some)
                    },
                    grouped: if fields.group {
                        Some(true)
                    } else if solo {
                        Some(false)
                    } else {
                        None
                    },
                    preferred: preferred(&fields.preferred)?.map(Some),
                    preferred_weight: fields.preferred_weight.map(Some),
                    weekdays: days(&fields.days)?.map(Some),
                    priority: fields.priority,
                    expected_version: if_version,
                },
            )
            .await?;
            ctx.ui
                .note(&format!("Updated {} (version {}).", c.name, c.version));
            let row: Vec<lists::CourseRow> = lists::courses(&store, &f.id)
                .await?
                .into_iter()
                .filter(|x| x.course.id == c.id)
                .collect();
            ctx.ui.emit(&row.first(), &table(&row))
        }
        CourseCmd::Remove { course } => {
            let c = remove_course(&store, &f.id, &course, None).await?;
            ctx.ui.note(&format!(
                "Removed {} with its curriculum and sessions.",
                c.name
            ));
            ctx.ui.json_or_nothing(&c)
        }
    }
}

pub async fn enrollment(ctx: &Ctx, c: EnrollmentCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    match c {
        EnrollmentCmd::List => {
            let rows = lists::enrollments(&store, &f.id).await?;
            let mut t = Table::new(&["student", "course", "starts at lesson"]);
            for e in &rows {
                t.row(vec![
                    e.student.clone(),
                    e.course.clone(),
                    e.start_seq.to_string(),
                ]);
            }
            ctx.ui.emit(&rows, &t)
        }
        EnrollmentCmd::Add {
            student,
            course,
            start_at,
        } => {
            let e = enroll(&store, &f.id, &course, &student, start_at).await?;
            ctx.ui.note(&format!("Enrolled {student} in {course}."));
            ctx.ui.emit(&e, &Table::new(&[]))
        }
        EnrollmentCmd::Remove { student, course } => {
            unenroll(&store, &f.id, &course, &student).await?;
            ctx.ui.note(&format!("{student} is no longer in {course}."));
            Ok(())
        }
    }
}

pub async fn curriculum(ctx: &Ctx, c: CurriculumCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    match c {
        CurriculumCmd::Import {
            file,
            course,
            append,
            format,
        } => {
            let name = file.display().to_string();
            let format = match format {
                Some(FileFormat::Csv) => Format::Csv,
                Some(FileFormat::Toml) => Format::Toml,
                None => Format::from_path(&name).ok_or_else(|| {
                    Error::invalid("--format", format!("cannot tell the format of {name}"))
                        .with_hint("name the file .csv or .toml, or pass --format csv|toml")
                })?,
            };
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::invalid(name.clone(), format!("cannot read: {e}")))?;
            let mode = if append {
                curriculum::ImportMode::Append
            } else {
                curriculum::ImportMode::Replace
            };
            let report = curriculum::import_with(
                &store,
                &f.id,
                course.as_deref(),
                &name,
                format,
                &text,
                mode,
            )
            .await?;
            let mut t = Table::new(&["course", "lessons"]);
            for (c, n) in &report.courses {
                t.row(vec![c.clone(), n.to_string()]);
            }
            ctx.ui.note(if append { "Appended:" } else { "Imported:" });
            ctx.ui.emit(&report, &t)
        }
        CurriculumCmd::Show { course } => {
            let v = curriculum::show(&store, &f.id, &course).await?;
            if ctx.ui.format == crate::output::Format::Human {
                let pos: Vec<String> = v
                    .positions
                    .iter()
                    .map(|p| {
                        format!(
                            "{}: {} done, next {}",
                            p.student,
                            p.done,
                            p.next_seq
                                .map(|n| format!("lesson {n}"))
                                .unwrap_or_else(|| "(finished)".into())
                        )
                    })
                    .collect();
                ctx.ui.say(
                    &ctx.ui
                        .heading(&format!("{} — {}", v.course.name, pos.join("; "))),
                );
            }
            let mut t = Table::new(&["#", "title", "minutes", "notes", "resource"]);
            for l in &v.lessons {
                t.row(vec![
                    l.seq.to_string(),
                    l.title.clone(),
                    l.minutes.map(|m| m.to_string()).unwrap_or_default(),
                    l.notes.clone(),
                    l.resource.clone(),
                ]);
            }
            ctx.ui.emit(&v, &t)
        }
    }
}
