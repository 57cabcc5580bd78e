//! Fixed one-minute rate-limit windows, as Zendesk reports them in `x-rate-limit*` headers.

use std::time::{SystemTime, UNIX_EPOCH};

/// A per-minute request budget aligned to wall-clock minutes.
#[derive(Debug, Clone)]
pub struct RateWindow {
    pub limit: u32,
    used: u32,
    window: u64,
}

/// What one request saw of the window.
#[derive(Debug, Clone, Copy)]
pub struct RateOutcome {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub reset_secs: u64,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl RateWindow {
    pub fn new(limit: u32) -> RateWindow {
        RateWindow {
            limit,
            used: 0,
            window: 0,
        }
    }

    /// Count one request against the current minute.
    pub fn hit(&mut self) -> RateOutcome {
        let now = now_secs();
        let window = now / 60;
        if window != self.window {
            self.window = window;
            self.used = 0;
        }
        let reset_secs = 60 - now % 60;
        if self.used >= self.limit {
            return RateOutcome {
                allowed: false,
                limit: self.limit,
                remaining: 0,
                reset_secs,
            };
        }
        self.used += 1;
        RateOutcome {
            allowed: true,
            limit: self.limit,
            remaining: self.limit - self.used,
            reset_secs,
        }
    }

    /// Peek without counting.
    pub fn peek(&self) -> RateOutcome {
        let now = now_secs();
        let used = if now / 60 == self.window {
            self.used
        } else {
            0
        };
        RateOutcome {
            allowed: used < self.limit,
            limit: self.limit,
            remaining: self.limit.saturating_sub(used),
            reset_secs: 60 - now % 60,
        }
    }

    /// Change the limit, keeping this minute's usage.
    pub fn set_limit(&mut self, limit: u32) {
        self.limit = limit;
    }
}
