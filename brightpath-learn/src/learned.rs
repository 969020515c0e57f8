//! What a training run hands to core: the insights turned into data
//! (`brightpath_core::model::Learned`) that the planner reads without the
//! learning code: learned minutes per child and course where a suggestion was
//! made, and each child's best part of the day per subject where the
//! engagement model beat the child's mean.

use brightpath_core::calendar::{Clock, Window};
use brightpath_core::model::{
    ChildRating, Course, Learned, LearnedHours, LearnedLength, Session, Student,
};

use crate::features::{Daypart, rows};
use crate::insights::{Insights, MIN_LESSONS, learn};
use crate::model::Choice;

/// The hours a part of the day stands for in a plan (a soft preference).
pub fn window_of(part: Daypart) -> (Window, &'static str) {
    let w = |a: u16, b: u16| Window {
        start: Clock(a * 60),
        end: Clock(b * 60),
    };
    match part {
        Daypart::Morning => (w(6, 10), "before 10:00"),
        Daypart::Midday => (w(10, 12), "from 10:00 to 12:00"),
        Daypart::Afternoon => (w(12, 18), "from 12:00"),
    }
}

/// Learns from a family's sessions: the insights, and the model to keep.
/// `trained_at` (RFC 3339) is the caller's clock; the version is set when
/// it is stored.
pub fn train(
    sessions: &[Session],
    ratings: &[ChildRating],
    students: &[Student],
    courses: &[Course],
    trained_at: &str,
) -> (Insights, Learned) {
    let (rows, cleaning) = rows(sessions, ratings, students, courses);
    let insights = learn(&rows, cleaning);
    let student_id = |name: &str| {
        students
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id.clone())
    };
    let lengths = insights
        .course_lengths
        .iter()
        .filter_map(|c| {
            // Against the course's own length, not the minutes planned (which
            // are the learned ones once applied): the same rule as a
            // suggestion, so an applied length stays while it holds.
            let course = courses.iter().find(|x| x.name == c.course)?;
            let own = f64::from(course.lesson_minutes);
            let sure = c.n >= MIN_LESSONS && (c.mean_minutes - own).abs() > 2.0 * c.std_error;
            let minutes = ((c.learned_minutes / 5.0).round() * 5.0).max(5.0) as u32;
            (sure
                && (c.learned_minutes - own).abs() >= 5.0_f64.max(0.1 * own)
                && minutes != course.lesson_minutes)
                .then_some(())?;
            Some(LearnedLength {
                student_id: student_id(&c.child)?,
                course_id: course.id.clone(),
                minutes,
                lessons: c.n,
            })
        })
        .collect();
    let hours = if insights.engagement.choice == Choice::Model {
        insights
            .best_hours
            .iter()
            .filter_map(|b| {
                let best = b.best?;
                let lessons = b.parts.iter().find(|p| p.daypart == best)?.n;
                let (window, label) = window_of(best);
                Some(LearnedHours {
                    student_id: student_id(&b.child)?,
                    subject: b.subject.clone(),
                    window,
                    label: label.into(),
                    lessons,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let learned = Learned {
        version: 0,
        trained_at: trained_at.into(),
        data_from: rows.iter().map(|r| r.date).min(),
        data_to: rows.iter().map(|r| r.date).max(),
        rows: rows.len(),
        metrics: serde_json::json!({
            "lengths": insights.lengths,
            "engagement": insights.engagement,
            "cleaning": insights.cleaning,
        }),
        lengths,
        hours,
    };
    (insights, learned)
}
