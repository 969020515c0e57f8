//! A Prometheus histogram: cumulative counts under fixed upper bounds, with
//! the sum and count, written as text. The worker's job times, the server's
//! request times and the planner's solve times all use it.

use std::fmt::Write as _;

#[derive(Debug, Clone)]
pub struct Histogram {
    /// Upper bounds, ascending (seconds, or whatever is observed).
    bounds: &'static [f64],
    /// Per bound; empty until the first observation.
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    pub const fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            counts: Vec::new(),
            sum: 0.0,
            count: 0,
        }
    }

    pub fn observe(&mut self, value: f64) {
        self.counts.resize(self.bounds.len(), 0);
        for (n, b) in self.counts.iter_mut().zip(self.bounds) {
            if value <= *b {
                *n += 1;
            }
        }
        self.sum += value;
        self.count += 1;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Appends `{name}_bucket`, `{name}_sum` and `{name}_count` lines;
    /// `labels` are `key="value"` pairs joined by commas ("" for none).
    pub fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (i, b) in self.bounds.iter().enumerate() {
            let n = self.counts.get(i).copied().unwrap_or(0);
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{b}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                format!("{{{s}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {}", braces(labels), self.sum);
        let _ = writeln!(out, "{name}_count{} {}", braces(labels), self.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_labels_optional() {
        let mut h = Histogram::new(&[0.1, 1.0]);
        h.observe(0.05);
        h.observe(0.5);
        let mut out = String::new();
        h.render(&mut out, "x", "");
        assert!(out.contains("x_bucket{le=\"0.1\"} 1\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"1\"} 2\n"), "{out}");
        assert!(
            out.contains("x_bucket{le=\"+Inf\"} 2\nx_sum 0.55\nx_count 2\n"),
            "{out}"
        );
        let mut out = String::new();
        Histogram::new(&[0.1]).render(&mut out, "y", "q=\"a\"");
        assert!(out.contains("y_bucket{q=\"a\",le=\"0.1\"} 0\n"), "{out}");
        assert!(out.contains("y_count{q=\"a\"} 0\n"), "{out}");
    }
}
