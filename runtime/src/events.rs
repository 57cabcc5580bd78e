//! Account status-change events: every transition is broadcast to subscribers (the server
//! turns them into signed webhooks; apps can subscribe directly).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::store::{AccountRecord, AccountStatus};

/// One status change.
#[derive(Debug, Clone, Serialize)]
pub struct StatusEvent {
    /// Account id.
    pub account_id: Uuid,
    /// Connection.
    pub connection: String,
    /// Host app's identifier.
    pub identifier: String,
    /// Previous status.
    pub from: AccountStatus,
    /// New status.
    pub to: AccountStatus,
    /// Machine reason.
    pub reason: Option<String>,
    /// Human, actionable message.
    pub message: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The broadcast channel.
#[derive(Debug, Clone)]
pub(crate) struct Events(
    broadcast::Sender<StatusEvent>,
    /// Bumped on every emitted change (lets the account-count cache see local changes at once).
    Arc<AtomicU64>,
);

impl Default for Events {
    fn default() -> Self {
        Events(broadcast::channel(1024).0, Arc::default())
    }
}

impl Events {
    /// A new receiver of future events.
    pub fn subscribe(&self) -> broadcast::Receiver<StatusEvent> {
        self.0.subscribe()
    }

    /// How many changes this process has emitted so far.
    pub(crate) fn generation(&self) -> u64 {
        self.1.load(Ordering::Acquire)
    }

    pub(crate) fn emit(&self, before: &AccountRecord, after: &AccountRecord) {
        self.1.fetch_add(1, Ordering::AcqRel);
        let _ = self.0.send(StatusEvent {
            account_id: after.id,
            connection: after.connection.clone(),
            identifier: after.identifier.clone(),
            from: before.status,
            to: after.status,
            reason: after.status_reason.clone(),
            message: after.status_message.clone(),
            at: after.updated_at,
        });
    }
}
