//! Request counts and latency by route and status, in Prometheus text.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use brightpath_bus::worker::Histogram;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

struct Route {
    by_status: BTreeMap<u16, u64>,
    took: Histogram,
}

impl Default for Route {
    fn default() -> Self {
        Route {
            by_status: BTreeMap::new(),
            took: Histogram::new(&BUCKETS),
        }
    }
}

#[derive(Default)]
pub struct HttpMetrics {
    routes: Mutex<BTreeMap<String, Route>>,
}

impl HttpMetrics {
    pub fn observe(&self, route: &str, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        // A poisoned lock only means another request panicked while counting.
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let r = routes.entry(route.to_string()).or_default();
        *r.by_status.entry(status).or_default() += 1;
        r.took.observe(secs);
    }

    pub fn render(&self) -> String {
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        out.push_str("# HELP brightpath_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE brightpath_http_requests_total counter\n");
        for (name, r) in routes.iter() {
            for (status, n) in &r.by_status {
                let _ = writeln!(
                    out,
                    "brightpath_http_requests_total{{route=\"{name}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP brightpath_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE brightpath_http_request_duration_seconds histogram\n");
        for (name, r) in routes.iter() {
            r.took.render(
                &mut out,
                "brightpath_http_request_duration_seconds",
                &format!("route=\"{name}\""),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_buckets_are_cumulative() {
        let m = HttpMetrics::default();
        m.observe("/healthz", 200, Duration::from_millis(3));
        m.observe("/healthz", 200, Duration::from_millis(30));
        m.observe("/api/v1/me", 401, Duration::from_millis(1));
        let text = m.render();
        assert!(
            text.contains("brightpath_http_requests_total{route=\"/healthz\",status=\"200\"} 2")
        );
        assert!(
            text.contains("brightpath_http_requests_total{route=\"/api/v1/me\",status=\"401\"} 1")
        );
        assert!(text.contains("_bucket{route=\"/healthz\",le=\"0.005\"} 1"));
        assert!(text.contains("_bucket{route=\"/healthz\",le=\"0.05\"} 2"));
        assert!(text.contains("_bucket{route=\"/healthz\",le=\"+Inf\"} 2"));
    }
}
