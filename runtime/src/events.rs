//! Account status-change events: every transition is broadcast to subscribers (the server
//! turns them into signed webhooks; apps can subscribe directly).

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
pub(crate) struct Events(broadcast::Sender<StatusEvent>);

impl Default for Events {
    fn default() -> Self {
        Events(broadcast::channel(1024).0)
    }
}

impl Events {
    /// A new receiver of future events.
    pub fn subscribe(&self) -> broadcast::Receiver<StatusEvent> {
        self.0.subscribe()
    }

    pub(crate) fn emit(&self, before: &AccountRecord, after: &AccountRecord) {
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
