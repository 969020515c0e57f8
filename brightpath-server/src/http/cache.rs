//! A few seconds of memory for what every request asks first: who a token
//! is, which families they may use, and a week's version. Polling clients
//! (the web app every few seconds, calendar apps) then cost no database
//! reads when nothing changed. The cost is a bounded delay: a revoked token
//! or a removed guardian may still pass for [`SESSION_TTL`] in a process
//! that saw them a moment ago, and a change made by another process (the
//! CLI, the other server) shows in a conditional GET after [`WEEK_TTL`]. A
//! change made through this process forgets its family's weeks at once.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use brightpath_core::services::web::{Membership, Via, WebSession};
use jiff::civil::Date;

/// How long a verified session or token is trusted without asking again.
pub const SESSION_TTL: Duration = Duration::from_secs(5);
/// How long a family membership is trusted without asking again.
pub const MEMBER_TTL: Duration = Duration::from_secs(5);
/// How long a week's version is trusted without asking again.
pub const WEEK_TTL: Duration = Duration::from_secs(1);
/// Past this many entries a map is emptied (a flood of tokens or families
/// must not grow memory without bound).
const MAX_ENTRIES: usize = 50_000;

struct Timed<K, V> {
    map: Mutex<HashMap<K, (V, Instant)>>,
    ttl: Duration,
}

impl<K: Eq + Hash, V: Clone> Timed<K, V> {
    fn new(ttl: Duration) -> Self {
        Timed {
            map: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    fn get(&self, k: &K) -> Option<V> {
        let m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        m.get(k)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(v, _)| v.clone())
    }

    fn put(&self, k: K, v: V) {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(k, (v, Instant::now()));
    }

    fn forget(&self, keep: impl Fn(&K, &V) -> bool) {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        m.retain(|k, (v, _)| keep(k, v));
    }
}

/// The caches of one `serve` process.
pub struct Cache {
    sessions: Timed<String, WebSession>,
    members: Timed<(String, bool, String), Membership>,
    weeks: Timed<(String, Date), u64>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            sessions: Timed::new(SESSION_TTL),
            members: Timed::new(MEMBER_TTL),
            weeks: Timed::new(WEEK_TTL),
        }
    }
}

impl Cache {
    pub fn session(&self, token: &str) -> Option<WebSession> {
        self.sessions.get(&token.to_string())
    }

    pub fn keep_session(&self, token: &str, s: &WebSession) {
        self.sessions.put(token.to_string(), s.clone());
    }

    /// Signed out here: forget it at once.
    pub fn forget_session(&self, token: &str) {
        self.sessions.forget(|k, _| k != token);
    }

    /// Signed out everywhere: forget every session of the person.
    pub fn forget_actor(&self, actor: &str) {
        self.sessions.forget(|_, s| s.actor != actor);
        self.members.forget(|(a, _, _), _| a != actor);
    }

    /// A token of the person was revoked here: forget their tokens at once.
    pub fn forget_tokens_of(&self, actor: &str) {
        self.sessions
            .forget(|_, s| !(s.actor == actor && s.via == Via::ApiToken));
    }

    pub fn membership(&self, s: &WebSession, family: &str) -> Option<Membership> {
        self.members
            .get(&(s.actor.clone(), s.walled, family.to_string()))
    }

    pub fn keep_membership(&self, s: &WebSession, family: &str, m: &Membership) {
        self.members
            .put((s.actor.clone(), s.walled, family.to_string()), m.clone());
    }

    pub fn week(&self, family: &str, week: Date) -> Option<u64> {
        self.weeks.get(&(family.to_string(), week))
    }

    pub fn keep_week(&self, family: &str, week: Date, fingerprint: u64) {
        self.weeks.put((family.to_string(), week), fingerprint);
    }

    /// A change went through this process: the family's weeks and
    /// memberships are asked again.
    pub fn forget_family(&self, family: &str) {
        self.weeks.forget(|(f, _), _| f != family);
        self.members.forget(|(_, _, f), _| f != family);
    }
}

/// The family a request path names (`/api/v1/families/{id}/…`), if any.
pub fn family_in_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/api/v1/families/")?;
    let id = rest.split('/').next()?;
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_changes_forget_their_family() {
        let c = Cache::default();
        let d: Date = "2026-11-30".parse().expect("d");
        c.keep_week("f1", d, 7);
        c.keep_week("f2", d, 8);
        assert_eq!(c.week("f1", d), Some(7));
        c.forget_family("f1");
        assert_eq!((c.week("f1", d), c.week("f2", d)), (None, Some(8)));
        let t: Timed<u8, u8> = Timed::new(Duration::ZERO);
        t.put(1, 1);
        assert_eq!(t.get(&1), None, "a zero lifetime keeps nothing");
        assert_eq!(family_in_path("/api/v1/families/abc/week"), Some("abc"));
        assert_eq!(family_in_path("/api/v1/families"), None);
    }
}
