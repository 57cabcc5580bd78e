//! Whether Redis answers, so an outage costs calls nothing: the first failure logs one warning
//! and the replica falls back to its local budgets; while Redis is down it is asked again at
//! most once per [`RETRY_EVERY`] (by whichever call comes first), never waited on by every
//! call; the first answer after an outage logs that budgets are shared again.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often a replica whose Redis is down tries it again.
pub(super) const RETRY_EVERY: Duration = Duration::from_secs(1);

/// Redis's health as this replica sees it.
#[derive(Debug, Default)]
pub(super) struct Outage {
    /// `Some(next try)` while Redis is down.
    down: Mutex<Option<Instant>>,
}

impl Outage {
    /// Whether to ask Redis now (it is up, or down and due for another try; that try is
    /// claimed, so other calls keep to local budgets meanwhile).
    pub fn should_ask(&self) -> bool {
        let mut down = self.down.lock().unwrap_or_else(|e| e.into_inner());
        match *down {
            None => true,
            Some(next) if Instant::now() >= next => {
                *down = Some(Instant::now() + RETRY_EVERY);
                true
            }
            Some(_) => false,
        }
    }

    /// Redis answered.
    pub fn answered(&self) {
        let mut down = self.down.lock().unwrap_or_else(|e| e.into_inner());
        if down.take().is_some() {
            tracing::warn!("Redis answers again: per-tenant budgets are shared across replicas");
        }
    }

    /// Redis did not answer (`why` names the kind of failure, never the URL).
    pub fn failed(&self, why: &str) {
        let mut down = self.down.lock().unwrap_or_else(|e| e.into_inner());
        if down.is_none() {
            tracing::warn!(
                why,
                "Redis unreachable: per-tenant budgets fall back to this replica's own until it \
                 answers (a vendor's rate limit seen elsewhere is not known here meanwhile)"
            );
        }
        *down = Some(Instant::now() + RETRY_EVERY);
    }

    /// Whether Redis is currently considered down.
    #[cfg(test)]
    pub fn is_down(&self) -> bool {
        self.down
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }
}
