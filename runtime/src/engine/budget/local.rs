//! One tenant's in-process budget: a semaphore capping its requests in flight in this process,
//! and the time until which the vendor asked it to wait. This is the whole budget without
//! `--redis-url`, and the floor under the shared one (a replica never exceeds its own cap, and
//! a block it has seen, locally or through Redis, is answered without asking Redis again).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

/// One tenant's in-process budget.
#[derive(Debug)]
pub(super) struct LocalBudget {
    in_flight: Semaphore,
    blocked_until: Mutex<Option<Instant>>,
}

impl LocalBudget {
    /// A budget allowing `cap` requests in flight.
    pub fn new(cap: usize) -> Self {
        LocalBudget {
            in_flight: Semaphore::new(cap),
            blocked_until: Mutex::new(None),
        }
    }

    /// Seconds the tenant is still rate limited for, if it is (rounded up, at least 1).
    pub fn blocked_for(&self) -> Option<u64> {
        let until = *self.blocked_until.lock().unwrap_or_else(|e| e.into_inner());
        until
            .and_then(|u| u.checked_duration_since(Instant::now()))
            .filter(|d| !d.is_zero())
            .map(seconds_rounded_up)
    }

    /// Waits for one of the tenant's in-flight slots.
    pub async fn acquire(&self) -> SemaphorePermit<'_> {
        self.in_flight
            .acquire()
            .await
            .expect("budget semaphores are never closed")
    }

    /// Records that the tenant must wait `wait` from now (a shorter block never shortens a
    /// longer one).
    pub fn block(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut blocked = self.blocked_until.lock().unwrap_or_else(|e| e.into_inner());
        if blocked.is_none_or(|b| b < until) {
            *blocked = Some(until);
        }
    }
}

/// Whole seconds, rounded up, at least 1 (what `retry_after_s` promises).
pub(super) fn seconds_rounded_up(d: Duration) -> u64 {
    d.as_millis().div_ceil(1000).max(1) as u64
}
