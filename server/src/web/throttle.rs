//! Throttling of failed authentications per client address (API bearer keys on `/v1`,
//! `/metrics`, `/mcp` and `/admin`; the admin login form). Each address has a bucket of
//! [`BURST`] failures refilled at one per [`REFILL`]; once it is empty, every authentication
//! from that address — right or wrong — is answered 429 `AUTH_THROTTLED` with `Retry-After`
//! before the key is even looked at, so guessing cannot go faster than the refill. Successful
//! requests cost nothing, whatever their rate.
//!
//! The address is the TCP peer (IPv6 by its /56, what one customer site is usually given).
//! Behind a reverse proxy every client shares the proxy's address, so failures of one count
//! for all: throttle at the proxy too, or accept that a brute-force attempt slows everyone's
//! wrong keys. The table holds only addresses with recent failures; past [`PRUNE_AT`] entries
//! it drops fully refilled ones at most once per [`PRUNE_EVERY`] (or when it has doubled
//! since), and when a flood of distinct addresses still fills it, it evicts the least
//! throttled tenth (most tokens left, then oldest) — never everyone, so a flood cannot reset
//! a throttled address.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// Failures an address may make in a row.
pub const BURST: u32 = 10;
/// One more failure is allowed per this much time.
pub const REFILL: Duration = Duration::from_secs(6);
/// Table size from which fully refilled entries are dropped.
pub const PRUNE_AT: usize = 10_000;
/// Least time between two prunes (unless the table doubled).
pub const PRUNE_EVERY: Duration = Duration::from_secs(10);
const MAX_ADDRESSES: usize = 100_000;

/// The client address of a request (`None` when the server was not started with connect
/// info, e.g. a router driven in-process).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.extensions))
    }
}

impl ClientAddr {
    /// From a request's extensions.
    pub fn of(ext: &axum::http::Extensions) -> Self {
        ClientAddr(ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
    }

    fn key(self) -> IpAddr {
        match self.0 {
            Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3] & 0xff00, 0, 0, 0, 0))
            }
            Some(IpAddr::V6(v6)) => IpAddr::V4(v6.to_ipv4_mapped().expect("checked")),
            Some(v4) => v4,
            None => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Debug)]
struct Table {
    buckets: HashMap<IpAddr, Bucket>,
    /// No time-based prune before this.
    next_prune: Instant,
    /// Prune anyway once the table reaches this size (twice its size after the last prune).
    prune_len: usize,
}

/// Failed-authentication buckets by client address.
#[derive(Debug)]
pub struct AuthThrottle {
    table: Mutex<Table>,
    burst: f64,
    refill: Duration,
    prune_at: usize,
    max: usize,
}

impl Default for AuthThrottle {
    fn default() -> Self {
        Self::new(BURST, REFILL)
    }
}

impl AuthThrottle {
    /// `burst` failures in a row, then one per `refill`.
    pub fn new(burst: u32, refill: Duration) -> Self {
        Self::sized(burst, refill, PRUNE_AT, MAX_ADDRESSES)
    }

    fn sized(burst: u32, refill: Duration, prune_at: usize, max: usize) -> Self {
        AuthThrottle {
            table: Mutex::new(Table {
                buckets: HashMap::new(),
                next_prune: Instant::now(),
                prune_len: prune_at,
            }),
            burst: f64::from(burst.max(1)),
            refill,
            prune_at,
            max: max.max(prune_at).max(1),
        }
    }

    fn topped(&self, b: Bucket, now: Instant) -> Bucket {
        let gained = now.duration_since(b.at).as_secs_f64() / self.refill.as_secs_f64();
        Bucket {
            tokens: (b.tokens + gained).min(self.burst),
            at: now,
        }
    }

    /// Seconds `client` must wait before authenticating again, if it is throttled now.
    pub fn wait(&self, client: ClientAddr) -> Option<u64> {
        let now = Instant::now();
        let table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let b = self.topped(*table.buckets.get(&client.key())?, now);
        (b.tokens < 1.0).then(|| {
            let s = (1.0 - b.tokens) * self.refill.as_secs_f64();
            // Whole seconds, at least 1 (what `Retry-After` carries).
            (s.ceil() as u64).max(1)
        })
    }

    /// Counts a failed authentication of `client`.
    pub fn failed(&self, client: ClientAddr) {
        let now = Instant::now();
        let key = client.key();
        let mut guard = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let table = &mut *guard;
        if !table.buckets.contains_key(&key) {
            self.make_room(table, now);
        }
        let full = Bucket {
            tokens: self.burst,
            at: now,
        };
        let b = self.topped(*table.buckets.get(&key).unwrap_or(&full), now);
        table.buckets.insert(
            key,
            Bucket {
                tokens: (b.tokens - 1.0).max(0.0),
                at: now,
            },
        );
    }

    /// Before a new address is added: prune (rarely), then evict the least throttled tenth
    /// if still full.
    fn make_room(&self, table: &mut Table, now: Instant) {
        let len = table.buckets.len();
        if len >= self.prune_at && (now >= table.next_prune || len >= table.prune_len) {
            table
                .buckets
                .retain(|_, b| self.topped(*b, now).tokens < self.burst);
            table.next_prune = now + PRUNE_EVERY;
            table.prune_len = (table.buckets.len() * 2).max(self.prune_at);
        }
        if table.buckets.len() >= self.max {
            let mut by_slack: Vec<(IpAddr, f64, Instant)> = table
                .buckets
                .iter()
                .map(|(k, b)| (*k, self.topped(*b, now).tokens, b.at))
                .collect();
            let n = (self.max / 10).max(1).min(by_slack.len());
            // Most tokens left first, then the oldest.
            by_slack.select_nth_unstable_by(n - 1, |a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
            for (k, _, _) in &by_slack[..n] {
                table.buckets.remove(k);
            }
            tracing::warn!(
                evicted = n,
                "failed-authentication table full; evicted the least throttled"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> ClientAddr {
        ClientAddr(Some(s.parse().unwrap()))
    }

    #[test]
    fn a_burst_then_throttled_per_address() {
        let t = AuthThrottle::new(3, Duration::from_secs(60));
        let a = addr("192.0.2.1");
        for _ in 0..3 {
            assert_eq!(t.wait(a), None);
            t.failed(a);
        }
        let wait = t.wait(a).expect("throttled after the burst");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(
            t.wait(addr("192.0.2.2")),
            None,
            "other addresses unaffected"
        );
        // One /56 is one client.
        let v6 = addr("2001:db8::1");
        for _ in 0..3 {
            t.failed(v6);
        }
        assert!(t.wait(addr("2001:db8::ffff")).is_some());
        assert!(t.wait(addr("2001:db8:0:ff::1")).is_some());
        assert!(t.wait(addr("2001:db8:0:100::1")).is_none());
    }

    #[test]
    fn a_flood_of_addresses_cannot_reset_a_throttled_one() {
        let t = AuthThrottle::sized(3, Duration::from_secs(600), 16, 64);
        let victim = addr("192.0.2.1");
        for _ in 0..3 {
            t.failed(victim);
        }
        assert!(t.wait(victim).is_some());
        // Many more distinct addresses than the table holds, one failure each.
        for i in 0..1000u32 {
            t.failed(ClientAddr(Some(IpAddr::V4(std::net::Ipv4Addr::from(
                0x0a00_0000 + i,
            )))));
        }
        assert!(t.wait(victim).is_some(), "still throttled");
        let len = t.table.lock().unwrap().buckets.len();
        assert!(len <= 64, "{len}");
    }

    #[test]
    fn refills_over_time() {
        let t = AuthThrottle::new(1, Duration::from_millis(1));
        let a = addr("192.0.2.1");
        t.failed(a);
        assert!(t.wait(a).is_some());
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(t.wait(a), None);
    }
}
