//! What the benchmark examples share: arguments, a seeded generator, and
//! fresh PostgreSQL databases next to the one named.

// Each example uses its own part of this file.
#![allow(dead_code)]

use brightpath_core::Store;

pub type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// `--name value` from the command line.
pub fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// `--name N`, or `default`.
pub fn number(name: &str, default: usize) -> Res<usize> {
    Ok(arg(name).map(|v| v.parse()).transpose()?.unwrap_or(default))
}

/// xorshift64: the same school from the same seed, on any machine.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// A new database on the server of `base`; its URL.
pub async fn fresh_postgres(base: &str) -> Res<String> {
    let admin = Store::connect(base).await?;
    let name = format!("bp_bench_{}", brightpath_core::model::new_id());
    admin
        .raw_execute(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await;
    Ok(format!(
        "{}/{name}",
        base.rsplit_once('/').map_or(base, |(p, _)| p)
    ))
}

/// Drops a database a benchmark made (a 30,000-family co-op is half a
/// gigabyte; a disk filled by old runs fails everyone's tests).
pub async fn drop_db(base: &str, url: &str) -> Res<()> {
    let name = url.rsplit_once('/').map_or(url, |(_, n)| n);
    let admin = Store::connect(base).await?;
    admin
        .raw_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .await?;
    admin.close().await;
    Ok(())
}
