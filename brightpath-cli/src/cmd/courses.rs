//! course, enrollment and curriculum commands.

use anyhow::Result;
use brightpath_core::Error;
use brightpath_core::calendar::{Weekday, Window};
use brightpath_core::model::{Course, short};
use brightpath_core::services::curriculum::{self, Format};
use brightpath_core::services::school::*;

use super::Ctx;
use crate::args::*;
use crate::output::Table;

pub async fn course(ctx: &Ctx, c: CourseCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    let mut tx = store.tx().await?;
    let (guardians, students, enrollments) = (
        tx.guardians(&f.id).await?,
        tx.students(&f.id).await?,
        tx.enrollments(&f.id).await?,
    );
    drop(tx);
    let table = |list: &[Course]| {
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
        for c in list {
            let teacher = c
                .teacher_id
                .as_ref()
                .and_then(|id| guardians.iter().find(|g| &g.id == id))
                .map(|g| g.name.clone())
                .unwrap_or_else(|| "independent".into());
            let who: Vec<String> = enrollments
                .iter()
                .filter(|e| e.course_id == c.id)
                .filter_map(|e| {
                    students
                        .iter()
                        .find(|s| s.id == e.student_id)
                        .map(|s| s.name.clone())
                })
                .collect();
            let who = if c.grouped {
                format!("{} (together)", who.join(", "))
            } else {
                who.join(", ")
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
            let list = store.tx().await?.courses(&f.id).await?;
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
            let list = store.tx().await?.courses(&f.id).await?;
            let c: Vec<Course> = list.into_iter().filter(|x| x.id == c.id).collect();
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
            ctx.ui.emit(&c, &table(std::slice::from_ref(&c)))
        }
        CourseCmd::Remove { course } => {
            let c = remove_course(&store, &f.id, &course).await?;
            ctx.ui.note(&format!(
                "Removed {} with its curriculum and sessions.",
                c.name
            ));
            ctx.ui.emit(&c, &table(std::slice::from_ref(&c)))
        }
    }
}

pub async fn enrollment(ctx: &Ctx, c: EnrollmentCmd) -> Result<()> {
    let store = ctx.store().await?;
    let f = ctx.family(&store).await?;
    match c {
        EnrollmentCmd::List => {
            let mut tx = store.tx().await?;
            let (students, courses, list) = (
                tx.students(&f.id).await?,
                tx.courses(&f.id).await?,
                tx.enrollments(&f.id).await?,
            );
            let mut t = Table::new(&["student", "course", "starts at lesson"]);
            let mut rows = Vec::new();
            for e in &list {
                let s = students
                    .iter()
                    .find(|s| s.id == e.student_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                let c = courses
                    .iter()
                    .find(|c| c.id == e.course_id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                rows.push(serde_json::json!({"student": s, "course": c, "start_seq": e.start_seq, "id": e.id}));
                t.row(vec![s, c, e.start_seq.to_string()]);
            }
            t.rows.sort();
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
