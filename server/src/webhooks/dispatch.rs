//! The dispatcher: claims due outbox events with a lease (per account only the oldest pending
//! one, so order per account holds), delivers each on its own task, and records the outcome in
//! the store: delivered, retry at a backed-off time (attempts and the last error kept in the
//! row), or dropped. Wakes on this process's own events and polls for the rest. Told to stop
//! (graceful shutdown), it claims nothing more, gives deliveries under way [`GRACE`] to finish,
//! cuts the rest and hands their claims back, so another replica sends them at once instead of
//! after the lease (at least once still: a cut delivery may have reached the receiver).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinSet;
use toolwire_runtime::store::OutboxEntry;
use toolwire_runtime::{StatusEvent, Store};
use uuid::Uuid;

use super::attempt::{Outcome, attempt, backoff};
use super::config::{MAX_IN_FLIGHT, WebhookConfig};

/// How long a stopping dispatcher waits for deliveries under way before cutting them.
pub(super) const GRACE: Duration = Duration::from_secs(1);

/// Runs until `wake`'s sender (the runtime) is dropped, or until `stop` fires: then hands back
/// this dispatcher's claims.
pub(super) async fn run(
    store: Store,
    mut wake: broadcast::Receiver<StatusEvent>,
    mut stop: oneshot::Receiver<()>,
    client: reqwest::Client,
    config: WebhookConfig,
) {
    let owner = Uuid::new_v4();
    // A dropped `stop` sender (nobody will ask to stop) leaves it running with the runtime.
    let mut stoppable = true;
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
            asked = &mut stop, if stoppable => match asked {
                Ok(()) => break,
                Err(_) => stoppable = false,
            },
        }
    }
    let _ = tokio::time::timeout(GRACE, async {
        while in_flight.join_next().await.is_some() {}
    })
    .await;
    in_flight.shutdown().await;
    match store.release_outbox(owner).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            released = n,
            "webhooks: stopping; deliveries under way handed back to the other replicas"
        ),
        // The leases run out and the events are sent again: at least once still holds.
        Err(e) => tracing::warn!(code = e.code(), "webhooks: could not hand back claims"),
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
