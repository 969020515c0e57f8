//! A headless planner over the demo school: a temp SQLite file, a fixed
//! today (2026-11-29), the planning week planned with a fixed seed, and a
//! TestBackend that screens are read from.

#![allow(dead_code)] // each test file uses a different part

use brightpath_core::Store;
use std::collections::HashMap;

use brightpath_core::model::{
    Break, Course, Enrollment, Family, FixedEvent, Guardian, Lesson, SchoolYear, Student,
};
use brightpath_core::services::{demo, planning};
use brightpath_tui::App;
use brightpath_tui::msg::Msg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::civil::Date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const TODAY: Date = jiff::civil::date(2026, 11, 29);

pub struct Harness {
    pub app: App,
    pub term: Terminal<TestBackend>,
    pub store: Store,
    pub family: Family,
    _dir: tempfile::TempDir,
}

/// The demo school with its planning week planned.
pub async fn school() -> (Store, Family, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
    let scratch = Store::open(&url("demo.db")).await.expect("open store");
    let summary = demo::build(&scratch, TODAY).await.expect("demo");
    let store = Store::open(&url("bp.db")).await.expect("open store");
    let family = copy_with_stable_ids(&scratch, &summary.family, &store).await;
    scratch.close().await;
    let opts = planning::PlanOptions {
        seed: 1,
        actor: "test".into(),
        ..Default::default()
    };
    planning::plan_week(&store, &family, summary.week, &opts)
        .await
        .expect("plan");
    (store, family, dir)
}

/// Copies the demo school into `dst` under ids derived from names. The demo
/// draws random ids, and the planner sees the students of a group course in
/// id order, so without this every run would plan a slightly different week
/// and no screen could be snapshotted.
async fn copy_with_stable_ids(src: &Store, family: &Family, dst: &Store) -> Family {
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut tx = src.tx().await.expect("tx");
    let f = &family.id;
    let guardians = tx.guardians(f).await.expect("guardians");
    let students = tx.students(f).await.expect("students");
    let years = tx.years(f).await.expect("years");
    let breaks = tx.breaks(f).await.expect("breaks");
    let courses = tx.courses(f).await.expect("courses");
    let enrollments = tx.enrollments(f).await.expect("enrollments");
    let lessons = tx.lessons(f).await.expect("lessons");
    let events = tx.events(f).await.expect("events");
    drop(tx);
    let new_family = Family {
        id: "family-rivera".into(),
        ..family.clone()
    };
    for g in &guardians {
        ids.insert(g.id.clone(), format!("g-{}", g.name.to_lowercase()));
    }
    for s in &students {
        ids.insert(s.id.clone(), format!("s-{}", s.name.to_lowercase()));
    }
    for (i, y) in years.iter().enumerate() {
        ids.insert(y.id.clone(), format!("y-{i:02}"));
    }
    for (i, c) in courses.iter().enumerate() {
        ids.insert(c.id.clone(), format!("c-{i:02}"));
    }
    let map = |id: &String| {
        ids.get(id)
            .cloned()
            .unwrap_or_else(|| panic!("unmapped id {id}"))
    };
    let mut tx = dst.tx().await.expect("tx");
    let nf = &new_family.id;
    tx.insert_family(&new_family).await.expect("family");
    for g in guardians {
        let g = Guardian {
            id: map(&g.id),
            family_id: nf.clone(),
            ..g
        };
        tx.insert_guardian(nf, &g).await.expect("guardian");
    }
    for s in students {
        let s = Student {
            id: map(&s.id),
            family_id: nf.clone(),
            ..s
        };
        tx.insert_student(nf, &s).await.expect("student");
    }
    for y in years {
        let y = SchoolYear {
            id: map(&y.id),
            ..y
        };
        tx.insert_year(nf, &y).await.expect("year");
    }
    for (i, b) in breaks.into_iter().enumerate() {
        let b = Break {
            id: format!("b-{i:02}"),
            school_year_id: map(&b.school_year_id),
            student_ids: b.student_ids.iter().map(map).collect(),
            ..b
        };
        tx.insert_break(nf, &b).await.expect("break");
    }
    for c in &courses {
        let c = Course {
            id: map(&c.id),
            teacher_id: c.teacher_id.as_ref().map(map),
            ..c.clone()
        };
        tx.insert_course(nf, &c).await.expect("course");
        let list: Vec<Lesson> = lessons
            .iter()
            .filter(|l| ids.get(&l.course_id) == Some(&c.id))
            .map(|l| Lesson {
                id: format!("{}-l{:03}", c.id, l.seq),
                course_id: c.id.clone(),
                ..l.clone()
            })
            .collect();
        tx.replace_lessons(nf, &c.id, &list).await.expect("lessons");
    }
    for e in enrollments {
        let e = Enrollment {
            id: format!("{}-{}", map(&e.course_id), map(&e.student_id)),
            course_id: map(&e.course_id),
            student_id: map(&e.student_id),
            ..e
        };
        tx.insert_enrollment(nf, &e).await.expect("enrollment");
    }
    for (i, e) in events.into_iter().enumerate() {
        let e = FixedEvent {
            id: format!("ev-{i:02}"),
            student_ids: e.student_ids.iter().map(map).collect(),
            guardian_ids: e.guardian_ids.iter().map(map).collect(),
            ..e
        };
        tx.insert_event(nf, &e).await.expect("event");
    }
    tx.commit().await.expect("commit");
    new_family
}

impl Harness {
    pub async fn new() -> Harness {
        Harness::with(false, 80, 24).await
    }

    pub async fn with(color: bool, width: u16, height: u16) -> Harness {
        let (store, family, dir) = school().await;
        let mut app = App::new(store.clone(), family.clone(), TODAY, color);
        let start = app.start();
        app.run_inline(start).await;
        let term = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        Harness {
            app,
            term,
            store,
            family,
            _dir: dir,
        }
    }

    /// Presses keys: `<Name>` for a special key (`<Enter>`, `<Esc>`, `<Tab>`,
    /// `<BS>`, `<Space>`, `<Left>`, `<Right>`, `<Up>`, `<Down>`, `<C-c>`),
    /// anything else types its characters one by one.
    pub async fn keys(&mut self, script: &[&str]) {
        for token in script {
            let events: Vec<KeyEvent> = match *token {
                "<Enter>" => vec![key(KeyCode::Enter)],
                "<Esc>" => vec![key(KeyCode::Esc)],
                "<Tab>" => vec![key(KeyCode::Tab)],
                "<BS>" => vec![key(KeyCode::Backspace)],
                "<Space>" => vec![key(KeyCode::Char(' '))],
                "<Left>" => vec![key(KeyCode::Left)],
                "<Right>" => vec![key(KeyCode::Right)],
                "<Up>" => vec![key(KeyCode::Up)],
                "<Down>" => vec![key(KeyCode::Down)],
                "<C-c>" => vec![KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)],
                text => text
                    .chars()
                    .map(|c| {
                        let m = if c.is_ascii_uppercase() {
                            KeyModifiers::SHIFT
                        } else {
                            KeyModifiers::NONE
                        };
                        KeyEvent::new(KeyCode::Char(c), m)
                    })
                    .collect(),
            };
            for e in events {
                self.app.dispatch(Msg::Key(e)).await;
                // Draw after every key, as the real loop does.
                self.app.draw(&mut self.term).expect("draw");
            }
        }
    }

    pub fn screen(&mut self) -> String {
        self.app.draw(&mut self.term).expect("draw");
        let buf = self.term.backend().buffer();
        let w = buf.area.width as usize;
        let mut out = String::new();
        for row in buf.content.chunks(w) {
            let line: String = row.iter().map(|c| c.symbol()).collect();
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    pub fn status(&self) -> String {
        self.app
            .model
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}
