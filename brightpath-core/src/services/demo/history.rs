//! A school year of history for the demo: every week from the start of the
//! year to today planned and marked as a real family would, through the same
//! services a parent uses (so history, records and pacing are what they
//! would be), with effects the learning models should find:
//!
//! - Math 5 always overruns: about 15 % longer than planned;
//! - Ada is slower after lunch: lessons from 12:00 on take about 25 % longer;
//! - Cora is most engaged before 10:00 and least after 13:00;
//! - everybody is a little less engaged on Mondays;
//! - noise of about ±10 % on every length, no feedback on about one lesson
//!   in twelve, and a rare absurd entry (600 minutes) as typos make;
//! - a few lessons skipped (sick, field trip) or only partly done.
//!
//! Deterministic for a seed.

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar::{Weekday, add_days, monday_of, planning_week};
use crate::config::Learning;
use crate::error::Result;
use crate::model::*;
use crate::planner;
use crate::services::planning::{self, PlanOptions};
use crate::services::progress::{self, DoneInput, Selector};
use crate::store::Store;

#[derive(Debug, Clone, Default, Serialize)]
pub struct HistorySummary {
    pub weeks: usize,
    pub done: usize,
    pub partial: usize,
    pub skipped: usize,
    /// Done with no minutes or engagement given.
    pub without_feedback: usize,
}

/// A small generator (SplitMix64): the same seed, the same year.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// What a family would record for one session, by the effects above.
/// Lengths follow the course's own lesson length (the work a lesson holds),
/// not the minutes planned for it: planning more time does not make a lesson
/// longer, it makes it fit.
fn feedback(
    dice: &mut Dice,
    s: &Session,
    course: Option<&Course>,
    students: &[&str],
) -> (Option<u32>, Option<u8>) {
    let base = course.map_or(s.minutes, |c| c.lesson_minutes);
    let course = course.map_or("", |c| c.name.as_str());
    let mut factor = 1.0 + (dice.unit() - 0.5) * 0.2;
    if course == "Math 5" {
        factor *= 1.15;
    }
    if students == ["Ada"] && s.start.minutes() >= 12 * 60 {
        factor *= 1.25;
    }
    let minutes = if dice.unit() < 0.005 {
        600
    } else {
        ((f64::from(base) * factor).round() as u32).clamp(5, 600)
    };
    let mut engagement: f64 = 3.5 + (dice.unit() - 0.5) * 1.5;
    if students == ["Cora"] {
        if s.start.minutes() < 10 * 60 {
            engagement += 1.0;
        } else if s.start.minutes() >= 13 * 60 {
            engagement -= 1.2;
        }
    }
    if Weekday::of(s.date) == Weekday::Mon {
        engagement -= 0.6;
    }
    (
        Some(minutes),
        Some(engagement.round().clamp(1.0, 5.0) as u8),
    )
}

/// Plans and marks every school week from the year's first week up to the
/// week that holds `today` (not included). `actor` is recorded in history.
pub async fn play_history(
    store: &Store,
    family: &Family,
    today: Date,
    seed: u64,
) -> Result<HistorySummary> {
    let mut sim = Simulation::new(seed);
    let years = store.read().await?.years(&family.id).await?;
    let Some(year) = years.iter().find(|y| y.contains(today)).or(years.first()) else {
        return Ok(sim.summary);
    };
    let last = planning_week(today);
    let mut week = monday_of(year.start);
    while week < last {
        sim.play_week(store, family, week, Learning::Suggest)
            .await?;
        week = add_days(week, 7);
    }
    Ok(sim.summary)
}

/// The simulated family, week by week (for measuring plans: a week planned
/// one way or another, then lived by the hidden effects above).
pub struct Simulation {
    dice: Dice,
    seed: u64,
    pub summary: HistorySummary,
}

/// How a simulated week went: its lessons with a length, how many ran over
/// the time planned for them and by how much, and the engagement recorded.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct WeekPlay {
    pub lessons: usize,
    pub overruns: usize,
    pub overrun_minutes: u32,
    pub engagement_sum: u32,
    pub engagement_n: usize,
}

impl Simulation {
    pub fn new(seed: u64) -> Simulation {
        Simulation {
            dice: Dice(seed),
            seed,
            summary: HistorySummary::default(),
        }
    }

    /// Plans `week` (with the `learning` setting given) and marks it.
    pub async fn play_week(
        &mut self,
        store: &Store,
        family: &Family,
        week: Date,
        learning: Learning,
    ) -> Result<WeekPlay> {
        let out = &mut self.summary;
        let dice = &mut self.dice;
        let mut play = WeekPlay::default();
        let opts = PlanOptions {
            seed: self.seed.wrapping_add(out.weeks as u64),
            actor: "demo".into(),
            today: Some(week),
            effort: planner::Effort::Batch,
            learning,
            ..Default::default()
        };
        let outcome = planning::plan_week(store, family, week, &opts).await?;
        out.weeks += usize::from(outcome.planned > 0);
        let (courses, students) = {
            let mut tx = store.read().await?;
            (
                tx.courses(&family.id).await?,
                tx.students(&family.id).await?,
            )
        };
        for s in outcome.sessions.iter().filter(|s| s.status.is_open()) {
            let course = courses.iter().find(|c| c.id == s.course_id);
            let who: Vec<&str> = s
                .student_ids
                .iter()
                .filter_map(|id| students.iter().find(|x| &x.id == id))
                .map(|x| x.name.as_str())
                .collect();
            let sel = Selector::one(&s.id, None);
            let roll = dice.unit();
            if roll < 0.04 {
                let reason = if dice.unit() < 0.5 {
                    "sick"
                } else {
                    "field trip"
                };
                progress::skip(store, family, &sel, reason, "demo", s.date).await?;
                out.skipped += 1;
                continue;
            }
            let (minutes, engagement) = feedback(dice, s, course, &who);
            let partial = roll < 0.07;
            if let (false, Some(m), Some(e)) = (partial, minutes, engagement) {
                play.lessons += 1;
                play.overruns += usize::from(m > s.minutes);
                play.overrun_minutes += m.saturating_sub(s.minutes).min(120);
                play.engagement_sum += u32::from(e);
                play.engagement_n += 1;
            }
            let silent = !partial && dice.unit() < 0.08;
            let input = if silent {
                DoneInput::default()
            } else {
                DoneInput {
                    actual_minutes: if partial {
                        Some((s.minutes / 2).max(5))
                    } else {
                        minutes
                    },
                    engagement,
                    difficulty: Some(1 + (dice.next() % 5) as u8),
                    partial,
                    ..Default::default()
                }
            };
            progress::mark_done(store, family, &sel, input, "demo", s.date).await?;
            match (partial, silent) {
                (true, _) => out.partial += 1,
                (false, true) => {
                    out.done += 1;
                    out.without_feedback += 1;
                }
                (false, false) => out.done += 1,
            }
        }
        Ok(play)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_are_repeatable_and_spread() {
        let (mut a, mut b) = (Dice(7), Dice(7));
        let xs: Vec<f64> = (0..1000).map(|_| a.unit()).collect();
        let ys: Vec<f64> = (0..1000).map(|_| b.unit()).collect();
        assert_eq!(xs, ys);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((0.45..0.55).contains(&mean), "{mean}");
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
    }
}
