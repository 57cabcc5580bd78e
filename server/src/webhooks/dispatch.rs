//! The dispatcher: claims due outbox events with a lease (per account only the oldest pending
//! one, so order per account holds), delivers each on its own task, and records the outcome in
//! the store: delivered, retry at a backed-off time (attempts and the last error kept in the
//! row), or dropped. Wakes on this process's own events and polls for the rest.

use std::sync::Arc;

use tokio::sync::broadcast;
use tokio::task::JoinSet;
use toolwire_runtime::store::OutboxEntry;
use toolwire_runtime::{StatusEvent, Store};
use uuid::Uuid;

use super::attempt::{Outcome, attempt, backoff};
use super::config::{MAX_IN_FLIGHT, WebhookConfig};

/// Runs until `wake`'s sender (the runtime) is dropped.
pub(super) async fn run(
    store: Store,
    mut wake: broadcast::Receiver<StatusEvent>,
    client: reqwest::Client,
    config: WebhookConfig,
) {
    let owner = Uuid::new_v4();
    let config = Arc::new(config);
    let mut in_flight = JoinSet::new();
    loop {
        let free = MAX_IN_FLIGHT.saturating_sub(in_flight.len());
        if free > 0 {
            match store.claim_outbox(owner, config.lease(), free as u32).await {
                Ok(claimed) => {
                    for entry in claimed {
                        let (store, client, config) =
                            (store.clone(), client.clone(), config.clone());
                        in_flight.spawn(async move {
                            deliver(&store, &client, &config, owner, entry).await
                        });
                    }
                }
                Err(e) => tracing::warn!(code = e.code(), "webhooks: could not claim events"),
            }
        }
        tokio::select! {
            Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
            woke = wake.recv() => {
                if matches!(woke, Err(broadcast::error::RecvError::Closed)) {
                    return;
                }
            }
            () = tokio::time::sleep(config.poll_interval) => {}
        }
    }
}

/// One attempt of one claimed event, and its outcome recorded.
async fn deliver(
    store: &Store,
    client: &reqwest::Client,
    config: &WebhookConfig,
    owner: Uuid,
    entry: OutboxEntry,
) {
    let event = &entry.event;
    let recorded = match attempt(client, config, event).await {
        Outcome::Delivered => store.outbox_delivered(entry.seq).await,
        Outcome::Retry(why) if entry.attempts < config.max_attempts.max(1) => {
            tracing::warn!(event_id = %event.event_id, attempt = entry.attempts, %why,
                "webhook delivery failed; will retry");
            let wait = backoff(config.base_delay, entry.attempts);
            let at = toolwire_runtime::store::now()
                + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
            store.outbox_retry_at(entry.seq, owner, at, &why).await
        }
        Outcome::Retry(why) | Outcome::Refused(why) => {
            tracing::error!(event_id = %event.event_id, connection = %event.connection,
                attempts = entry.attempts, %why, "webhook event dropped");
            store.outbox_dropped(entry.seq, &why).await
        }
    };
    if let Err(e) = recorded {
        // The lease runs out and the event is sent again: at least once still holds.
        tracing::warn!(code = e.code(), event_id = %event.event_id,
            "webhooks: could not record a delivery outcome");
    }
}
