//! Fault injection: rules that make matching requests fail (429, 5xx), slow down, or lose
//! their connection (before or after the request is handled) — for the next N matching
//! requests or a share of them.

use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// What a fault does to a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// 429, plain-text body, `Retry-After: retry_after` seconds.
    RateLimit {
        #[serde(default = "default_retry_after")]
        retry_after: u64,
    },
    /// A bare status, e.g. 500 or 503 (503 also carries `Retry-After`).
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// Delay the request by `ms` milliseconds, then serve it normally.
    Latency { ms: u64 },
    /// Start a response and abort the connection mid-body, before the request is handled
    /// (nothing is written).
    Drop,
    /// Handle the request (a write is committed), then abort the connection mid-body instead of
    /// answering: the client cannot tell whether the write happened.
    DropAfter,
}

fn default_retry_after() -> u64 {
    1
}

/// A fault rule: what to do, to which requests, how often.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultSpec {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Apply to this many matching requests, then retire (None = no count limit).
    #[serde(default)]
    pub count: Option<u32>,
    /// Apply to this share (0.0..=1.0) of matching requests (None = all).
    #[serde(default)]
    pub share: Option<f64>,
    /// Only requests to this tenant (subdomain).
    #[serde(default)]
    pub tenant: Option<String>,
    /// Only this HTTP method (case-insensitive).
    #[serde(default)]
    pub method: Option<String>,
    /// Only paths starting with this prefix, e.g. `/api/v2/tickets`.
    #[serde(default)]
    pub path_prefix: Option<String>,
}

impl FaultSpec {
    /// A fault for the next `count` requests, unfiltered.
    pub fn next(kind: FaultKind, count: u32) -> FaultSpec {
        FaultSpec {
            kind,
            count: Some(count),
            share: None,
            tenant: None,
            method: None,
            path_prefix: None,
        }
    }

    pub fn tenant(mut self, t: &str) -> Self {
        self.tenant = Some(t.to_string());
        self
    }

    pub fn method(mut self, m: &str) -> Self {
        self.method = Some(m.to_string());
        self
    }

    pub fn path_prefix(mut self, p: &str) -> Self {
        self.path_prefix = Some(p.to_string());
        self
    }

    fn matches(&self, tenant: Option<&str>, method: &str, path: &str) -> bool {
        self.tenant.as_deref().is_none_or(|t| Some(t) == tenant)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| path.starts_with(p))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FaultRule {
    pub id: u64,
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// How many requests this rule has hit so far.
    pub applied: u32,
}

/// The active rules.
pub struct Faults {
    inner: Mutex<(Vec<FaultRule>, u64, StdRng)>,
}

impl Faults {
    pub fn new(seed: u64) -> Faults {
        Faults {
            inner: Mutex::new((Vec::new(), 0, StdRng::seed_from_u64(seed ^ 0xfa17))),
        }
    }

    pub fn add(&self, spec: FaultSpec) -> u64 {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.1 += 1;
        let id = g.1;
        g.0.push(FaultRule {
            id,
            spec,
            applied: 0,
        });
        id
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clone()
    }

    pub fn clear(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clear();
    }

    /// The faults that fire for this request (at most one latency and one terminal fault).
    pub fn pick(&self, tenant: Option<&str>, method: &str, path: &str) -> Vec<FaultKind> {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (rules, _, rng) = &mut *g;
        if rules.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<FaultKind> = Vec::new();
        for r in rules.iter_mut() {
            if !r.spec.matches(tenant, method, path) {
                continue;
            }
            let terminal = !matches!(r.spec.kind, FaultKind::Latency { .. });
            if terminal && out.iter().any(|k| !matches!(k, FaultKind::Latency { .. })) {
                continue;
            }
            if let Some(share) = r.spec.share
                && rng.random::<f64>() >= share
            {
                continue;
            }
            r.applied += 1;
            out.push(r.spec.kind.clone());
        }
        rules.retain(|r| r.spec.count.is_none_or(|c| r.applied < c));
        out
    }
}
