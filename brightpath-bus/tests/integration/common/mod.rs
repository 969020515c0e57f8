//! Shared test helpers: backends for the suite and the env-var rules.
#![allow(dead_code)]

pub mod delivery;
pub mod groups;
pub mod suite;

use std::time::Duration;

use brightpath_bus::{Backoff, Bus, BusConfig};

/// The Valkey URL, or None (skip) when unset; CI must set it.
pub fn valkey_url() -> Option<String> {
    env_or_skip("BRIGHTPATH_TEST_VALKEY_URL")
}

/// A variable a test needs: missing means skip, except under CI where it is a failure.
pub fn env_or_skip(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!("{var} must be set when CI is set");
            }
            eprintln!("skipped: {var} is not set");
            None
        }
    }
}

/// Short timeouts so redelivery and retries happen quickly in tests.
pub fn test_config(url: &str) -> BusConfig {
    let mut c = BusConfig::new(url);
    c.prefix = format!("bp-test:{}:", uuid::Uuid::new_v4().simple());
    c.visibility_timeout = Duration::from_millis(500);
    c.backoff = Backoff {
        base: Duration::from_millis(30),
        max: Duration::from_millis(200),
    };
    c
}

pub fn memory_bus() -> Bus {
    Bus::memory(test_config("memory://"))
}

pub async fn valkey_bus() -> Option<Bus> {
    let url = valkey_url()?;
    Some(
        Bus::connect(test_config(&url))
            .await
            .expect("connect to test valkey"),
    )
}

/// What `consumer` gets from the `default` queue right now (at most one job).
pub async fn take_now(bus: &Bus, consumer: &str) -> Vec<brightpath_bus::Delivery> {
    bus.reserve(
        &[brightpath_bus::Queue::default_queue()],
        1,
        Duration::ZERO,
        consumer,
    )
    .await
    .expect("reserve")
}

/// Poll `f` until it returns Some; a generous bound only guards against hangs.
pub async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..3000 {
        if let Some(v) = f().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("gave up waiting: {what}");
}
