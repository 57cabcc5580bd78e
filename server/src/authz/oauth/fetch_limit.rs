//! [`FetchLimit`]: how often `/authorize` may fetch client ID metadata documents, so that
//! naming arbitrary `https` URLs as `client_id` cannot make this server a request amplifier.
//! Two token buckets: one per document host (a name is what the requests are aimed at) and
//! one for the whole server. A fetch takes a token from both (or neither); a document served
//! from the cache takes none. The host table stays small on its own: every entry that is not
//! full again holds a token of the global bucket taken within one host refill period, and
//! full entries are dropped once the table passes [`PRUNE_AT`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Per document host: fetches in a row, then one per `host_refill`; the same for the server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Fetches one host may get in a row.
    pub host_burst: u32,
    /// One more fetch of that host per this much time.
    pub host_refill: Duration,
    /// Fetches the server may make in a row, all hosts together.
    pub global_burst: u32,
    /// One more fetch per this much time.
    pub global_refill: Duration,
}

/// 10 per host, then one every 6 s (10 a minute); 60 in all, then two a second.
impl Default for Limits {
    fn default() -> Self {
        Limits {
            host_burst: 10,
            host_refill: Duration::from_secs(6),
            global_burst: 60,
            global_refill: Duration::from_millis(500),
        }
    }
}

/// Host entries kept before full ones are dropped.
pub const PRUNE_AT: usize = 1000;

/// Which bucket is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exhausted {
    /// This document's host was fetched too often.
    Host,
    /// The server fetched too many documents.
    Global,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(burst: u32, now: Instant) -> Self {
        Bucket {
            tokens: f64::from(burst.max(1)),
            at: now,
        }
    }

    /// Refilled up to `now`.
    fn topped(self, burst: u32, refill: Duration, now: Instant) -> Self {
        let gained = now.duration_since(self.at).as_secs_f64() / refill.as_secs_f64().max(1e-9);
        Bucket {
            tokens: (self.tokens + gained).min(f64::from(burst.max(1))),
            at: now,
        }
    }

    /// Whole seconds (at least 1) until a token is back.
    fn wait_s(self, refill: Duration) -> u64 {
        (((1.0 - self.tokens) * refill.as_secs_f64()).ceil() as u64).max(1)
    }
}

#[derive(Debug)]
struct State {
    global: Bucket,
    hosts: HashMap<String, Bucket>,
}

/// The two buckets.
#[derive(Debug)]
pub struct FetchLimit {
    limits: Limits,
    state: Mutex<State>,
}

impl Default for FetchLimit {
    fn default() -> Self {
        FetchLimit::new(Limits::default())
    }
}

impl FetchLimit {
    /// Buckets of `limits`, full.
    pub fn new(limits: Limits) -> Self {
        FetchLimit {
            limits,
            state: Mutex::new(State {
                global: Bucket::full(limits.global_burst, Instant::now()),
                hosts: HashMap::new(),
            }),
        }
    }

    /// Takes a token for a fetch from `host` (case-insensitive), or says which bucket is
    /// empty and how many seconds until it is not.
    pub fn take(&self, host: &str) -> Result<(), (Exhausted, u64)> {
        let l = self.limits;
        let now = Instant::now();
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let global = state.global.topped(l.global_burst, l.global_refill, now);
        let entry = state
            .hosts
            .get(&host)
            .copied()
            .unwrap_or_else(|| Bucket::full(l.host_burst, now))
            .topped(l.host_burst, l.host_refill, now);
        if entry.tokens < 1.0 {
            return Err((Exhausted::Host, entry.wait_s(l.host_refill)));
        }
        if global.tokens < 1.0 {
            state.global = global;
            return Err((Exhausted::Global, global.wait_s(l.global_refill)));
        }
        if state.hosts.len() >= PRUNE_AT && !state.hosts.contains_key(&host) {
            state.hosts.retain(|_, b| {
                b.topped(l.host_burst, l.host_refill, now).tokens < f64::from(l.host_burst.max(1))
            });
        }
        state.global = Bucket {
            tokens: global.tokens - 1.0,
            at: now,
        };
        state.hosts.insert(
            host,
            Bucket {
                tokens: entry.tokens - 1.0,
                at: now,
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn a_host_gets_its_burst_then_waits_and_others_still_fetch() {
        let limit = FetchLimit::new(Limits {
            host_burst: 2,
            host_refill: HOUR,
            global_burst: 100,
            global_refill: HOUR,
        });
        assert_eq!(limit.take("a.example"), Ok(()));
        assert_eq!(limit.take("A.example."), Ok(()));
        let (which, wait) = limit.take("a.example").unwrap_err();
        assert_eq!(which, Exhausted::Host);
        assert!((1..=3600).contains(&wait), "{wait}");
        assert_eq!(limit.take("b.example"), Ok(()));
    }

    #[test]
    fn all_hosts_together_get_the_global_burst() {
        let limit = FetchLimit::new(Limits {
            host_burst: 5,
            host_refill: HOUR,
            global_burst: 3,
            global_refill: HOUR,
        });
        for i in 0..3 {
            assert_eq!(limit.take(&format!("h{i}.example")), Ok(()));
        }
        assert_eq!(limit.take("new.example").unwrap_err().0, Exhausted::Global);
        // A refused fetch took no host token: that host still has its whole burst later.
        let state = limit.state.lock().unwrap();
        assert!(!state.hosts.contains_key("new.example"));
    }

    #[test]
    fn tokens_come_back_over_time() {
        let limit = FetchLimit::new(Limits {
            host_burst: 1,
            host_refill: Duration::from_millis(1),
            global_burst: 1,
            global_refill: Duration::from_millis(1),
        });
        assert_eq!(limit.take("a.example"), Ok(()));
        assert!(limit.take("a.example").is_err());
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(limit.take("a.example"), Ok(()));
    }
}
