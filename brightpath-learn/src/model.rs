//! The two model families, their baselines, the honest evaluation and the
//! rule that picks what ships.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;
use linfa::prelude::*;
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2};
use serde::Serialize;

use crate::features::{ENGAGEMENT_FEATURES, Encoder, LENGTH_FEATURES, Row};

/// Ridge penalty on every weight but the intercept (same as scikit-learn's
/// `Ridge(alpha=1.0)`): keeps a full one-hot encoding solvable.
pub const LAMBDA: f64 = 1.0;
/// The share of weeks held out for testing (the latest ones).
pub const TEST_SHARE: f64 = 0.25;
/// Fewer training weeks with feedback than this: keep the baseline.
pub const MIN_TRAIN_WEEKS: usize = 3;

/// What a model predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Actual minutes, learnt as log(actual / planned).
    Lengths,
    /// Engagement 1-5.
    Engagement,
}

impl Target {
    pub fn features(self) -> &'static [crate::features::Feature] {
        match self {
            Target::Lengths => LENGTH_FEATURES,
            Target::Engagement => ENGAGEMENT_FEATURES,
        }
    }

    pub fn label(self, r: &Row) -> Option<f64> {
        match self {
            Target::Lengths => r.minutes,
            Target::Engagement => r.engagement,
        }
    }

    fn to_y(self, r: &Row, label: f64) -> f64 {
        match self {
            Target::Lengths => (label / r.planned).ln(),
            Target::Engagement => label,
        }
    }

    fn prediction(self, r: &Row, y: f64) -> f64 {
        match self {
            Target::Lengths => r.planned * y.exp(),
            Target::Engagement => y.clamp(1.0, 5.0),
        }
    }
}

/// A fitted linear model: the encoder it was fitted with and its weights.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub target: Target,
    pub encoder: Encoder,
    pub weights: Vec<f64>,
    pub rows: usize,
}

/// Ridge regression through linfa's least squares: the penalty enters as
/// extra rows sqrt(lambda) * I (the intercept column is not penalised).
pub fn ridge(x: &Array2<f64>, y: &Array1<f64>, lambda: f64) -> Result<Array1<f64>, String> {
    let (n, p) = x.dim();
    let root = lambda.sqrt();
    let xa = Array2::from_shape_fn((n + p - 1, p), |(i, j)| match i {
        i if i < n => x[[i, j]],
        i if j == i - n + 1 => root,
        _ => 0.0,
    });
    let ya = Array1::from_shape_fn(n + p - 1, |i| if i < n { y[i] } else { 0.0 });
    let data = Dataset::new(xa, ya);
    let fitted = LinearRegression::new()
        .with_intercept(false)
        .fit(&data)
        .map_err(|e| e.to_string())?;
    Ok(fitted.params().clone())
}

impl Model {
    /// Fits on the rows that have the target's label; `None` with none.
    pub fn fit(target: Target, rows: &[&Row]) -> Option<Model> {
        let rows: Vec<&Row> = rows
            .iter()
            .copied()
            .filter(|r| target.label(r).is_some())
            .collect();
        if rows.is_empty() {
            return None;
        }
        let encoder = Encoder::fit(target.features(), &rows);
        let x = encoder.encode(&rows);
        let y: Array1<f64> = rows
            .iter()
            .map(|r| target.to_y(r, target.label(r).unwrap_or_default()))
            .collect();
        let w = ridge(&x, &y, LAMBDA).ok()?;
        Some(Model {
            target,
            encoder,
            weights: w.to_vec(),
            rows: rows.len(),
        })
    }

    /// Predicted minutes or engagement for one row (unseen categories count as zero).
    pub fn predict(&self, r: &Row) -> f64 {
        let x = self.encoder.encode_one(r);
        let y: f64 = x.iter().zip(&self.weights).map(|(a, b)| a * b).sum();
        self.target.prediction(r, y)
    }
}

/// Errors of one predictor on the test rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    pub mae: f64,
    pub rmse: f64,
    /// Spearman rank correlation of predictions with the truth (ties averaged);
    /// 0 when either side is constant.
    pub spearman: f64,
}

impl Metrics {
    pub fn of(pred: &[f64], truth: &[f64]) -> Metrics {
        let n = pred.len().max(1) as f64;
        let mae = pred
            .iter()
            .zip(truth)
            .map(|(p, t)| (p - t).abs())
            .sum::<f64>()
            / n;
        let mse = pred
            .iter()
            .zip(truth)
            .map(|(p, t)| (p - t).powi(2))
            .sum::<f64>()
            / n;
        Metrics {
            mae,
            rmse: mse.sqrt(),
            spearman: spearman(pred, truth),
        }
    }
}

fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|a, b| v[*a].total_cmp(&v[*b]));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for k in &idx[i..=j] {
            out[*k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Spearman's rank correlation (Pearson's on average ranks).
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    if va == 0.0 || vb == 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}

/// The time-based split: the latest quarter of the weeks with feedback is
/// the test set. Returns the first test week.
pub fn split_week(rows: &[Row], target: Target) -> Option<(Date, usize, usize)> {
    let weeks: BTreeSet<Date> = rows
        .iter()
        .filter(|r| target.label(r).is_some())
        .map(|r| r.week)
        .collect();
    let weeks: Vec<Date> = weeks.into_iter().collect();
    if weeks.len() < 2 {
        return None;
    }
    let test = ((weeks.len() as f64 * TEST_SHARE).ceil() as usize).clamp(1, weeks.len() - 1);
    let first = weeks[weeks.len() - test];
    Some((first, weeks.len() - test, test))
}

/// A baseline's name and its predictions for the test rows.
fn baselines(target: Target, train: &[&Row], test: &[&Row]) -> Vec<(&'static str, Vec<f64>)> {
    match target {
        Target::Lengths => {
            let planned = test.iter().map(|r| r.planned).collect();
            // Per child x course running mean: every earlier length known
            // before the lesson's date (train and earlier test weeks).
            let mut seen: HashMap<(&str, &str), Vec<(Date, f64)>> = HashMap::new();
            for r in train.iter().chain(test) {
                if let Some(m) = r.minutes {
                    seen.entry((&r.child, &r.course))
                        .or_default()
                        .push((r.date, m));
                }
            }
            let running = test
                .iter()
                .map(|r| {
                    let before: Vec<f64> = seen
                        .get(&(r.child.as_str(), r.course.as_str()))
                        .map(|v| v.iter().filter(|(d, _)| *d < r.date).map(|x| x.1).collect())
                        .unwrap_or_default();
                    mean(&before).unwrap_or(r.planned)
                })
                .collect();
            vec![("planned", planned), ("child_course_mean", running)]
        }
        Target::Engagement => {
            let mut by: HashMap<&str, Vec<f64>> = HashMap::new();
            for r in train {
                if let Some(e) = r.engagement {
                    by.entry(&r.child).or_default().push(e);
                }
            }
            let all: Vec<f64> = train.iter().filter_map(|r| r.engagement).collect();
            let overall = mean(&all).unwrap_or(3.0);
            let pred = test
                .iter()
                .map(|r| {
                    by.get(r.child.as_str())
                        .and_then(|v| mean(v))
                        .unwrap_or(overall)
                })
                .collect();
            vec![("child_mean", pred)]
        }
    }
}

pub fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// What ships for one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Model,
    Baseline,
}

/// The honest evaluation of one target and the choice it led to.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub target: Target,
    pub train_weeks: usize,
    pub test_weeks: usize,
    pub train_rows: usize,
    pub test_rows: usize,
    /// The first week held out (`None`: too little data to split).
    pub test_from: Option<Date>,
    pub model: Option<Metrics>,
    pub baselines: Vec<(String, Metrics)>,
    pub choice: Choice,
    pub reason: String,
}

impl Evaluation {
    /// The best baseline by MAE.
    pub fn best_baseline(&self) -> Option<&(String, Metrics)> {
        self.baselines
            .iter()
            .min_by(|a, b| a.1.mae.total_cmp(&b.1.mae))
    }
}

/// Splits by week, fits on the earlier weeks, scores model and baselines on
/// the later ones, and picks: the model only if it beats the best baseline
/// (lower MAE) with at least [`MIN_TRAIN_WEEKS`] weeks to learn from.
pub fn evaluate(target: Target, rows: &[Row]) -> Evaluation {
    let mut ev = Evaluation {
        target,
        train_weeks: 0,
        test_weeks: 0,
        train_rows: 0,
        test_rows: 0,
        test_from: None,
        model: None,
        baselines: Vec::new(),
        choice: Choice::Baseline,
        reason: String::new(),
    };
    let Some((from, train_weeks, test_weeks)) = split_week(rows, target) else {
        ev.reason = "too little feedback to learn from (fewer than two weeks)".into();
        return ev;
    };
    ev.test_from = Some(from);
    ev.train_weeks = train_weeks;
    ev.test_weeks = test_weeks;
    let train: Vec<&Row> = rows.iter().filter(|r| r.week < from).collect();
    let test: Vec<&Row> = rows
        .iter()
        .filter(|r| r.week >= from && target.label(r).is_some())
        .collect();
    ev.train_rows = train.iter().filter(|r| target.label(r).is_some()).count();
    ev.test_rows = test.len();
    let truth: Vec<f64> = test.iter().filter_map(|r| target.label(r)).collect();
    for (name, pred) in baselines(target, &train, &test) {
        ev.baselines
            .push((name.to_string(), Metrics::of(&pred, &truth)));
    }
    let model = Model::fit(target, &train);
    ev.model = model.as_ref().map(|m| {
        let pred: Vec<f64> = test.iter().map(|r| m.predict(r)).collect();
        Metrics::of(&pred, &truth)
    });
    let best = ev.best_baseline().cloned();
    match (ev.model, best) {
        _ if train_weeks < MIN_TRAIN_WEEKS => {
            ev.reason = format!(
                "too little feedback to trust a model ({train_weeks} week(s) to learn from, {MIN_TRAIN_WEEKS} needed)"
            );
        }
        (Some(m), Some((name, b))) if m.mae < b.mae => {
            ev.choice = Choice::Model;
            ev.reason = format!(
                "the model beats {name} on the last {test_weeks} week(s): MAE {:.2} against {:.2}",
                m.mae, b.mae
            );
        }
        (Some(m), Some((name, b))) => {
            ev.reason = format!(
                "the model does not beat {name} on the last {test_weeks} week(s): MAE {:.2} against {:.2}",
                m.mae, b.mae
            );
        }
        _ => ev.reason = "no model could be fitted".into(),
    }
    ev
}
