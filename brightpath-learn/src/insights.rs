//! What a family reads: learned lengths per child and course with their
//! confidence, lengths by part of the day, best hours per child and subject,
//! and suggestions.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::features::{Cleaning, Daypart, Row};
use crate::model::{Choice, Evaluation, Model, Target, evaluate, mean};

/// The learned length of one child's course.
#[derive(Debug, Clone, Serialize)]
pub struct CourseLength {
    pub child: String,
    pub course: String,
    /// Lessons with a usable length.
    pub n: usize,
    /// Planned minutes (the mean, should the plan have changed).
    pub planned: f64,
    /// Mean actual minutes and its standard error.
    pub mean_minutes: f64,
    pub std_error: f64,
    /// What ships: the model's mean prediction over these lessons when the
    /// lengths model was chosen, else the mean.
    pub learned_minutes: f64,
    /// learned / planned.
    pub ratio: f64,
    pub suggested_minutes: Option<u32>,
}

/// How long one child's lessons run against plan in each part of the day.
#[derive(Debug, Clone, Serialize)]
pub struct DaypartLength {
    pub child: String,
    pub daypart: Daypart,
    /// Lessons observed then.
    pub n: usize,
    /// Mean actual / planned of those lessons.
    pub observed_ratio: Option<f64>,
    /// The model's: every lesson of the child as if it started then (only
    /// when the lengths model is chosen).
    pub predicted_ratio: Option<f64>,
}

/// Engagement of one child in one part of the day, for one subject.
#[derive(Debug, Clone, Serialize)]
pub struct PartEngagement {
    pub daypart: Daypart,
    pub n: usize,
    pub observed: Option<f64>,
    /// The model's mean over the child's lessons in this subject, as if
    /// each started then (only when the engagement model is chosen).
    pub predicted: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BestHours {
    pub child: String,
    pub subject: String,
    pub parts: Vec<PartEngagement>,
    /// By the model's figures when it is chosen (which reach parts of the
    /// day the child has not tried in this subject, from the child's other
    /// subjects); else by observed means of three lessons or more.
    pub best: Option<Daypart>,
    pub worst: Option<Daypart>,
}

/// Everything learned from a family's feedback.
#[derive(Debug, Clone, Serialize)]
pub struct Insights {
    pub cleaning: Cleaning,
    pub lengths: Evaluation,
    pub engagement: Evaluation,
    pub course_lengths: Vec<CourseLength>,
    pub daypart_lengths: Vec<DaypartLength>,
    pub best_hours: Vec<BestHours>,
    pub suggestions: Vec<String>,
}

impl Insights {
    /// Only what concerns one child (evaluations stay the family's).
    pub fn for_child(mut self, child: &str) -> Insights {
        self.course_lengths.retain(|c| c.child == child);
        self.daypart_lengths.retain(|c| c.child == child);
        self.best_hours.retain(|c| c.child == child);
        let prefix = format!("{child}:");
        self.suggestions.retain(|s| s.starts_with(&prefix));
        self
    }
}

fn round5(m: f64) -> u32 {
    ((m / 5.0).round() * 5.0).max(5.0) as u32
}

fn std_error(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (var / n).sqrt()
}

/// Lessons needed before a length is suggested.
pub const MIN_LESSONS: usize = 5;

/// Evaluates both models on `rows`, refits what was chosen on all of them,
/// and tells what it learned.
pub fn learn(rows: &[Row], cleaning: Cleaning) -> Insights {
    let lengths = evaluate(Target::Lengths, rows);
    let engagement = evaluate(Target::Engagement, rows);
    let all: Vec<&Row> = rows.iter().collect();
    let length_model = (lengths.choice == Choice::Model)
        .then(|| Model::fit(Target::Lengths, &all))
        .flatten();
    let engagement_model = (engagement.choice == Choice::Model)
        .then(|| Model::fit(Target::Engagement, &all))
        .flatten();
    let mut suggestions = Vec::new();

    let mut pairs: BTreeMap<(&str, &str), Vec<&Row>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.minutes.is_some()) {
        pairs.entry((&r.child, &r.course)).or_default().push(r);
    }
    let mut course_lengths = Vec::new();
    for ((child, course), list) in pairs {
        let actual: Vec<f64> = list.iter().filter_map(|r| r.minutes).collect();
        let planned = mean(&list.iter().map(|r| r.planned).collect::<Vec<_>>()).unwrap_or(0.0);
        let mean_minutes = mean(&actual).unwrap_or(planned);
        let se = std_error(&actual);
        let learned = match &length_model {
            Some(m) => {
                mean(&list.iter().map(|r| m.predict(r)).collect::<Vec<_>>()).unwrap_or(mean_minutes)
            }
            None => mean_minutes,
        };
        let off = (learned - planned).abs();
        let sure = actual.len() >= MIN_LESSONS && (mean_minutes - planned).abs() > 2.0 * se;
        let suggested = (sure && off >= 5.0_f64.max(0.1 * planned))
            .then(|| round5(learned))
            .filter(|s| f64::from(*s) != planned);
        if let Some(s) = suggested {
            suggestions.push(format!(
                "{child}: {course} runs {mean_minutes:.0} min on average (± {se:.1}, {} lessons), planned {planned:.0}: plan {s}?",
                actual.len()
            ));
        }
        course_lengths.push(CourseLength {
            child: child.to_string(),
            course: course.to_string(),
            n: actual.len(),
            planned,
            mean_minutes,
            std_error: se,
            learned_minutes: learned,
            ratio: learned / planned,
            suggested_minutes: suggested,
        });
    }

    let mut children: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        children.entry(&r.child).or_default().push(r);
    }
    let mut daypart_lengths = Vec::new();
    for (child, list) in &children {
        let timed: Vec<&Row> = list
            .iter()
            .copied()
            .filter(|r| r.minutes.is_some())
            .collect();
        for part in Daypart::ALL {
            let obs: Vec<f64> = timed
                .iter()
                .filter(|r| r.daypart() == part)
                .filter_map(|r| r.minutes.map(|m| m / r.planned))
                .collect();
            let predicted = length_model.as_ref().and_then(|m| {
                mean(
                    &timed
                        .iter()
                        .map(|r| m.predict(&r.at(part.typical_start())) / r.planned)
                        .collect::<Vec<_>>(),
                )
            });
            daypart_lengths.push(DaypartLength {
                child: child.to_string(),
                daypart: part,
                n: obs.len(),
                observed_ratio: mean(&obs),
                predicted_ratio: predicted,
            });
        }
        let ratio = |p: Daypart| {
            daypart_lengths
                .iter()
                .find(|d| d.child == *child && d.daypart == p)
                .and_then(|d| d.predicted_ratio.or(d.observed_ratio))
        };
        if let (Some(am), Some(pm)) = (ratio(Daypart::Morning), ratio(Daypart::Afternoon)) {
            let change = pm / am - 1.0;
            if change.abs() >= 0.1 {
                suggestions.push(format!(
                    "{child}: lessons from 12:00 take {:.0} % {} than before 10:00",
                    change.abs() * 100.0,
                    if change > 0.0 { "longer" } else { "shorter" }
                ));
            }
        }
    }

    let mut subjects: BTreeMap<(&str, &str), Vec<&Row>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.engagement.is_some()) {
        subjects.entry((&r.child, &r.subject)).or_default().push(r);
    }
    let mut best_hours = Vec::new();
    for ((child, subject), list) in subjects {
        let parts: Vec<PartEngagement> = Daypart::ALL
            .iter()
            .map(|&part| {
                let obs: Vec<f64> = list
                    .iter()
                    .filter(|r| r.daypart() == part)
                    .filter_map(|r| r.engagement)
                    .collect();
                PartEngagement {
                    daypart: part,
                    n: obs.len(),
                    observed: mean(&obs),
                    predicted: engagement_model.as_ref().and_then(|m| {
                        mean(
                            &list
                                .iter()
                                .map(|r| m.predict(&r.at(part.typical_start())))
                                .collect::<Vec<_>>(),
                        )
                    }),
                }
            })
            .collect();
        let score = |p: &PartEngagement| p.predicted.or(p.observed.filter(|_| p.n >= 3));
        let scored: Vec<(Daypart, f64)> = parts
            .iter()
            .filter_map(|p| score(p).map(|s| (p.daypart, s)))
            .collect();
        let best = scored.iter().max_by(|a, b| a.1.total_cmp(&b.1)).copied();
        let worst = scored.iter().min_by(|a, b| a.1.total_cmp(&b.1)).copied();
        // Said only between parts of the day the child has tried in this subject.
        let tried = |d: Daypart| parts.iter().any(|p| p.daypart == d && p.n >= 2);
        if let (Some(b), Some(w)) = (best, worst)
            && b.1 - w.1 >= 0.5
            && tried(b.0)
            && tried(w.0)
        {
            suggestions.push(format!(
                "{child}: {subject} goes best in the {} (engagement {:.1}) and worst in the {} ({:.1})",
                b.0.as_str(),
                b.1,
                w.0.as_str(),
                w.1
            ));
        }
        best_hours.push(BestHours {
            child: child.to_string(),
            subject: subject.to_string(),
            parts,
            best: best.map(|b| b.0),
            worst: worst.map(|w| w.0),
        });
    }

    Insights {
        cleaning,
        lengths,
        engagement,
        course_lengths,
        daypart_lengths,
        best_hours,
        suggestions,
    }
}
