//! What protects the server from too much: a cap on request bodies, a time
//! limit per request, and a rate limit on the sign-in endpoints (per client
//! address), each answered with a problem, never a dropped connection.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use super::problem::Problem;

/// The largest request body accepted (a curriculum upload fits easily).
pub const BODY_LIMIT: usize = 1024 * 1024;
/// The largest roster upload accepted (a co-op of 100,000 users zips to a
/// few MiB).
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;
/// How long one request may take before it is answered with 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Sign-in requests a client address may make per minute.
pub const SIGN_IN_PER_MINUTE: u32 = 30;

/// A fixed-window counter per client address.
#[derive(Default)]
pub struct SignInLimiter {
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl SignInLimiter {
    /// Counts a sign-in request from `ip`; false when over the limit.
    pub fn allow(&self, ip: IpAddr, now: Instant, per_minute: u32) -> bool {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        // Forget old windows now and then, so the map stays small.
        if w.len() > 10_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = w.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= per_minute
    }
}

pub fn too_many() -> Problem {
    Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many sign-in attempts from this address",
    )
    .with_hint("wait a minute and try again")
}

pub fn too_large(limit: usize) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!("the request body is over {} KiB", limit / 1024),
    )
}

pub fn timed_out() -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        format!("the request took over {} s", REQUEST_TIMEOUT.as_secs()),
    )
    .with_hint("try again; if it keeps happening, the database may be overloaded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_ins_are_limited_per_address_and_window() {
        let l = SignInLimiter::default();
        let (a, b): (IpAddr, IpAddr) =
            ("127.0.0.1".parse().expect("ip"), "::1".parse().expect("ip"));
        let t = Instant::now();
        for _ in 0..SIGN_IN_PER_MINUTE {
            assert!(l.allow(a, t, SIGN_IN_PER_MINUTE));
        }
        assert!(!l.allow(a, t, SIGN_IN_PER_MINUTE), "over the limit");
        assert!(
            l.allow(b, t, SIGN_IN_PER_MINUTE),
            "another address has its own window"
        );
        assert!(
            l.allow(a, t + Duration::from_secs(61), SIGN_IN_PER_MINUTE),
            "a new minute"
        );
    }
}
