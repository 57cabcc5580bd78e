//! Account status-change events. The store writes each change's event in the transaction that
//! makes the change (the outbox, `store/outbox.rs`: one event per change, however many replicas
//! saw it); the process that made it then broadcasts it here to in-process subscribers (apps,
//! and the server's webhook dispatcher as a wake-up). Delivery to other processes goes through
//! the outbox only. `prune.rs` bounds the outbox.

mod prune;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::broadcast;

pub use crate::store::StatusEvent;
pub(crate) use prune::OutboxPruner;

/// The broadcast channel.
#[derive(Debug, Clone)]
pub(crate) struct Events {
    sender: broadcast::Sender<StatusEvent>,
    /// Bumped on every emitted change (lets the account-count cache see local changes at once).
    emitted: Arc<AtomicU64>,
    /// The outbox's pruning task, while any clone lives.
    _pruner: Option<Arc<OutboxPruner>>,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            sender: broadcast::channel(1024).0,
            emitted: Arc::default(),
            _pruner: None,
        }
    }
}

impl Events {
    /// The channel, with `store`'s outbox pruned in the background while it lives.
    pub(crate) fn pruning(store: crate::store::Store) -> Self {
        Events {
            _pruner: Some(Arc::new(OutboxPruner::start(store))),
            ..Events::default()
        }
    }

    /// A new receiver of future events.
    pub fn subscribe(&self) -> broadcast::Receiver<StatusEvent> {
        self.sender.subscribe()
    }

    /// How many changes this process has emitted so far.
    pub(crate) fn generation(&self) -> u64 {
        self.emitted.load(Ordering::Acquire)
    }

    /// Broadcasts an event the store wrote (so, one this process's change made).
    pub(crate) fn emit(&self, event: Option<StatusEvent>) {
        let Some(event) = event else {
            return;
        };
        self.emitted.fetch_add(1, Ordering::AcqRel);
        let _ = self.sender.send(event);
    }
}
