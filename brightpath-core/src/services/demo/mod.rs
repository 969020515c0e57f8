//! `brightpath demo`: a realistic sample school, built through the same
//! services a family uses: three children of different ages, fifteen courses
//! with curricula (two shared), a weekly co-op morning, and a holiday in the
//! planning week.

use jiff::civil::Date;
use serde::Serialize;

use super::school::*;
use crate::calendar::{Weekday, WeeklyAvailability, Window, add_days, planning_week};
use crate::error::{Error, Result};
use crate::model::{BreakKind, Family, Lesson, Recurrence, SchoolTime, new_id};
use crate::store::Store;

#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub family: Family,
    pub students: usize,
    pub courses: usize,
    pub lessons: usize,
    pub week: Date,
    pub holiday: Date,
}

fn avail(text: &str) -> Result<WeeklyAvailability> {
    WeeklyAvailability::parse("availability", text)
}

fn win(text: &str) -> Result<Window> {
    Window::parse("window", text)
}

/// Topics per subject; lessons cycle through them in parts ("Fractions, part 2").
fn topics(subject: &str) -> &'static [&'static str] {
    match subject {
        "phonics" => &[
            "Short a",
            "Short i",
            "Consonant blends",
            "Digraphs sh and ch",
            "Long vowels with silent e",
            "R-controlled vowels",
            "Vowel teams",
            "Syllables",
        ],
        "math" => &[
            "Place value",
            "Addition with regrouping",
            "Subtraction with regrouping",
            "Multiplication facts",
            "Long division",
            "Fractions",
            "Decimals",
            "Measurement",
            "Geometry",
            "Word problems",
        ],
        "algebra" => &[
            "Expressions and variables",
            "Solving linear equations",
            "Inequalities",
            "Functions",
            "Slope and graphing",
            "Systems of equations",
            "Exponents",
            "Polynomials",
            "Factoring",
            "Quadratics",
        ],
        "handwriting" => &[
            "Letter formation a-f",
            "Letter formation g-m",
            "Letter formation n-t",
            "Letter formation u-z",
            "Copywork",
        ],
        "reading" => &[
            "Read-aloud and narration",
            "Fables",
            "Poetry",
            "Picture study",
        ],
        "language arts" => &[
            "Parts of speech",
            "Sentence structure",
            "Paragraph writing",
            "Narrative writing",
            "Dictation",
            "Editing",
        ],
        "spelling" => &["Word list", "Dictation", "Review"],
        "typing" => &["Home row", "Top row", "Bottom row", "Speed drills"],
        "music" => &["Scales", "Etude", "Repertoire", "Sight reading"],
        "literature" => &[
            "The Hobbit",
            "Animal Farm",
            "Poetry unit",
            "Short stories",
            "Essay workshop",
            "To Kill a Mockingbird",
        ],
        "spanish" => &[
            "Greetings",
            "Numbers and dates",
            "Ser and estar",
            "Present tense",
            "Family vocabulary",
            "Food and ordering",
            "Past tense",
        ],
        "biology" => &[
            "Cells",
            "Microscope lab",
            "Genetics",
            "Evolution",
            "Ecology",
            "Human body",
        ],
        "science" => &[
            "Plants",
            "Birds",
            "Weather",
            "Rocks and minerals",
            "Simple machines",
            "Insects",
        ],
        "history" => &[
            "Ancient Egypt",
            "Ancient Greece",
            "Rome",
            "The Middle Ages",
            "The Renaissance",
            "Exploration",
        ],
        "art" => &["Drawing", "Watercolor", "Artist study"],
        _ => &["Lesson"],
    }
}

fn curriculum(course_id: &str, subject: &str, count: u32, minutes: u32) -> Vec<Lesson> {
    let t = topics(subject);
    (1..=count)
        .map(|seq| {
            let i = (seq - 1) as usize;
            let topic = t[i * t.len() / count as usize];
            let part = (0..i)
                .filter(|j| t[j * t.len() / count as usize] == topic)
                .count()
                + 1;
            Lesson {
                id: new_id(),
                course_id: course_id.to_string(),
                seq,
                title: format!("{topic}, part {part}"),
                notes: String::new(),
                minutes: Some(minutes),
                resource: String::new(),
            }
        })
        .collect()
}

struct C {
    name: &'static str,
    subject: &'static str,
    topic: &'static str,
    core: bool,
    minutes: u32,
    sessions: u32,
    teacher: Option<&'static str>,
    students: &'static [&'static str],
    preferred: Option<&'static str>,
    days: Option<&'static str>,
    priority: u32,
}

const COURSES: &[C] = &[
    C {
        name: "Phonics 1",
        subject: "reading",
        topic: "phonics",
        core: true,
        minutes: 20,
        sessions: 5,
        teacher: Some("Maria"),
        students: &["Ada"],
        preferred: Some("08:30-10:30"),
        days: None,
        priority: 3,
    },
    C {
        name: "Math 1",
        subject: "math",
        topic: "math",
        core: true,
        minutes: 20,
        sessions: 5,
        teacher: Some("Maria"),
        students: &["Ada"],
        preferred: Some("08:30-11:00"),
        days: None,
        priority: 3,
    },
    C {
        name: "Handwriting",
        subject: "writing",
        topic: "handwriting",
        core: true,
        minutes: 15,
        sessions: 4,
        teacher: None,
        students: &["Ada"],
        preferred: None,
        days: None,
        priority: 1,
    },
    C {
        name: "Read-aloud",
        subject: "reading",
        topic: "reading",
        core: true,
        minutes: 20,
        sessions: 3,
        teacher: Some("Sam"),
        students: &["Ada"],
        preferred: None,
        days: None,
        priority: 1,
    },
    C {
        name: "Math 5",
        subject: "math",
        topic: "math",
        core: true,
        minutes: 45,
        sessions: 5,
        teacher: Some("Maria"),
        students: &["Ben"],
        preferred: Some("08:00-11:00"),
        days: None,
        priority: 3,
    },
    C {
        name: "Language Arts 5",
        subject: "english",
        topic: "language arts",
        core: true,
        minutes: 40,
        sessions: 4,
        teacher: Some("Maria"),
        students: &["Ben"],
        preferred: None,
        days: None,
        priority: 2,
    },
    C {
        name: "Spelling 5",
        subject: "english",
        topic: "spelling",
        core: true,
        minutes: 15,
        sessions: 3,
        teacher: None,
        students: &["Ben"],
        preferred: None,
        days: None,
        priority: 1,
    },
    C {
        name: "Typing",
        subject: "technology",
        topic: "typing",
        core: false,
        minutes: 15,
        sessions: 3,
        teacher: None,
        students: &["Ben"],
        preferred: None,
        days: None,
        priority: 1,
    },
    C {
        name: "Piano practice",
        subject: "music",
        topic: "music",
        core: false,
        minutes: 20,
        sessions: 5,
        teacher: None,
        students: &["Ben"],
        preferred: Some("13:00-15:30"),
        days: None,
        priority: 1,
    },
    C {
        name: "Algebra I",
        subject: "math",
        topic: "algebra",
        core: true,
        minutes: 50,
        sessions: 5,
        teacher: None,
        students: &["Cora"],
        preferred: Some("08:30-11:30"),
        days: None,
        priority: 3,
    },
    C {
        name: "Literature & Composition",
        subject: "english",
        topic: "literature",
        core: true,
        minutes: 50,
        sessions: 4,
        teacher: Some("Maria"),
        students: &["Cora"],
        preferred: None,
        days: None,
        priority: 2,
    },
    C {
        name: "Spanish I",
        subject: "spanish",
        topic: "spanish",
        core: false,
        minutes: 40,
        sessions: 3,
        teacher: Some("Sam"),
        students: &["Cora"],
        preferred: None,
        days: Some("mon,tue,thu"),
        priority: 1,
    },
    C {
        name: "Biology",
        subject: "science",
        topic: "biology",
        core: true,
        minutes: 50,
        sessions: 3,
        teacher: None,
        students: &["Cora"],
        preferred: None,
        days: None,
        priority: 2,
    },
    C {
        name: "Nature Science",
        subject: "science",
        topic: "science",
        core: true,
        minutes: 30,
        sessions: 2,
        teacher: Some("Maria"),
        students: &["Ada", "Ben"],
        preferred: Some("13:00-15:00"),
        days: None,
        priority: 2,
    },
    C {
        name: "World History",
        subject: "history",
        topic: "history",
        core: true,
        minutes: 45,
        sessions: 3,
        teacher: Some("Sam"),
        students: &["Ben", "Cora"],
        preferred: None,
        days: None,
        priority: 2,
    },
];

mod history;
pub use history::{HistorySummary, Simulation, WeekPlay, play_history};

/// How the demo school is built.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoOptions {
    /// The children start the year at lesson 1 and the weeks before today are
    /// planned and marked (see [`play_history`]); without it they start
    /// where the weeks so far would have taken them, with no marks.
    pub history: bool,
}

/// Builds the demo school into `store` as of `today`. The store must hold no
/// family yet: the demo never mixes with a real school (`Conflict` otherwise).
pub async fn build(store: &Store, today: Date) -> Result<DemoSummary> {
    build_with(store, today, DemoOptions::default()).await
}

/// [`build`] with options.
pub async fn build_with(store: &Store, today: Date, opts: DemoOptions) -> Result<DemoSummary> {
    let families = store.read().await?.all_families().await?.len();
    if families > 0 {
        return Err(Error::conflict(format!(
            "this database already holds {families} family(ies); the demo fills only an empty one"
        ))
        .with_remedy(crate::Remedy::DemoElsewhere));
    }
    let family = create_family(
        store,
        NewFamily {
            name: "Rivera Family".into(),
            time_zone: "America/Chicago".into(),
        },
    )
    .await?;
    let f = &family.id;
    add_guardian(
        store,
        f,
        GuardianInput {
            name: "Maria".into(),
            email: Some("maria@example.org".into()),
            availability: avail("mon-fri 08:00-12:00,12:30-15:30")?,
        },
    )
    .await?;
    add_guardian(
        store,
        f,
        GuardianInput {
            name: "Sam".into(),
            email: None,
            availability: avail("mon-fri 13:00-16:00")?,
        },
    )
    .await?;
    let kids = [
        ("Ada", -6, "1", "mon-fri 08:30-11:30,12:30-14:00", 150),
        ("Ben", -10, "5", "mon-fri 08:00-12:00,13:00-15:30", 270),
        ("Cora", -14, "9", "mon-fri 08:30-12:00,13:00-16:00", 330),
    ];
    for (name, age, grade, a, cap) in kids {
        add_student(
            store,
            f,
            StudentInput {
                name: name.into(),
                birth_date: today
                    .checked_add(jiff::Span::new().years(age).days(-40))
                    .ok(),
                grade: Some(grade.into()),
                availability: avail(a)?,
                max_daily_minutes: Some(cap),
            },
        )
        .await?;
    }
    // The school year runs from August to May around today.
    let year = default_year(today);
    let year_start = year.start;
    add_year(
        store,
        f,
        YearInput {
            target_hours: Some(1000),
            target_core_hours: Some(600),
            ..year
        },
    )
    .await?;
    let week = planning_week(today);
    let holiday = add_days(week, 4);
    add_break(
        store,
        f,
        BreakInput {
            year: None,
            name: "Family holiday".into(),
            kind: BreakKind::Holiday,
            start: holiday,
            end: holiday,
            students: vec![],
        },
    )
    .await?;
    let winter =
        Date::new(year_start.year(), 12, 21).map_err(|e| crate::Error::Internal(e.to_string()))?;
    add_break(
        store,
        f,
        BreakInput {
            year: None,
            name: "Winter break".into(),
            kind: BreakKind::Break,
            start: winter,
            end: add_days(winter, 13),
            students: vec![],
        },
    )
    .await?;

    let mut lessons = 0;
    let weeks_done = school_weeks_between(year_start, week);
    for c in COURSES {
        let course = add_course(
            store,
            f,
            CourseInput {
                name: c.name.into(),
                subject: c.subject.into(),
                core: c.core,
                lesson_minutes: c.minutes,
                sessions_per_week: c.sessions,
                max_per_day: 1,
                teacher: c.teacher.map(str::to_string),
                grouped: c.students.len() > 1,
                preferred: c.preferred.map(win).transpose()?,
                preferred_weight: None,
                weekdays: c.days.map(|d| Weekday::parse_set("days", d)).transpose()?,
                priority: c.priority,
                students: c.students.iter().map(|s| s.to_string()).collect(),
            },
        )
        .await?;
        let list = curriculum(&course.id, c.topic, 36 * c.sessions, c.minutes);
        lessons += list.len();
        let mut tx = store.tx().await?;
        tx.replace_lessons(f, &course.id, &list).await?;
        // The family started BrightPath mid-year: the children are where the
        // school weeks so far would have taken them.
        let start_seq = if opts.history {
            1
        } else {
            (weeks_done * c.sessions + 1).min(list.len() as u32)
        };
        for e in tx
            .enrollments(f)
            .await?
            .iter()
            .filter(|e| e.course_id == course.id)
        {
            tx.set_start_seq(f, &e.id, start_seq).await?;
        }
        tx.commit().await?;
    }
    add_event(
        store,
        f,
        EventInput {
            name: "Co-op morning".into(),
            recurrence: Recurrence::Weekly(Weekday::Wed),
            window: win("09:00-12:00")?,
            away: true,
            school: SchoolTime::Elective,
            students: vec!["Ada".into(), "Ben".into(), "Cora".into()],
            guardians: vec!["Maria".into()],
        },
    )
    .await?;
    add_event(
        store,
        f,
        EventInput {
            name: "Piano lesson".into(),
            recurrence: Recurrence::Weekly(Weekday::Thu),
            window: win("15:00-15:30")?,
            away: true,
            school: SchoolTime::Elective,
            students: vec!["Ben".into()],
            guardians: vec!["Sam".into()],
        },
    )
    .await?;
    Ok(DemoSummary {
        family,
        students: kids.len(),
        courses: COURSES.len(),
        lessons,
        week,
        holiday,
    })
}

/// Whole school weeks (Mon-Fri) from `start` to `end`, less the winter break.
fn school_weeks_between(start: Date, end: Date) -> u32 {
    let days = (end - start).get_days().max(0) as u32;
    let weeks = days / 7;
    let winter = Date::new(start.year(), 12, 21).ok().filter(|w| *w < end);
    weeks.saturating_sub(if winter.is_some() { 2 } else { 0 })
}
