//! The request log: one entry per request (method, path, query, host, credential label,
//! status). Credential labels never contain secrets.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

/// One logged request.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LoggedRequest {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub host: String,
    /// The tenant that served it, if any.
    pub tenant: Option<String>,
    /// `token:<email>#<token id>`, `bearer:<token id>`, `none`, or a `(rejected)` label;
    /// OAuth: `oauth:<client> grant:<grant_type> -> bearer:<id>` (or `(rejected: <error>)`),
    /// `login:<email>`, `consent:<email> allow|deny`.
    pub credential: String,
    pub status: u16,
}

/// Bounded in-memory log (oldest entries are dropped past `cap`).
pub struct RequestLog {
    inner: Mutex<(VecDeque<LoggedRequest>, u64)>,
    cap: usize,
}

impl RequestLog {
    pub fn new(cap: usize) -> RequestLog {
        RequestLog {
            inner: Mutex::new((VecDeque::new(), 0)),
            cap,
        }
    }

    pub fn push(&self, mut e: LoggedRequest) {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.1 += 1;
        e.seq = g.1;
        while g.0.len() >= self.cap {
            g.0.pop_front();
        }
        g.0.push_back(e);
    }

    pub fn entries(&self) -> Vec<LoggedRequest> {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .iter()
            .cloned()
            .collect()
    }

    pub fn clear(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clear();
    }
}
