//! Status-change webhooks to the host app (`toolwire serve --webhook-url URL`, secret from
//! `TOOLWIRE_WEBHOOK_SECRET`), delivered from the store's durable outbox.
//!
//! Every account status change is POSTed as JSON:
//!
//! ```json
//! {"type": "account.status_changed", "event_id": "<uuid>",
//!  "account_id": "...", "connection": "zendesk", "identifier": "user_zd_123",
//!  "from": "ACTIVE", "to": "REVOKED", "reason": "...", "message": "...", "at": "<RFC 3339>"}
//! ```
//!
//! with `X-Toolwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
//! (see [`signature`]) and `X-Toolwire-Event-Id: <event_id>`. Receivers should recompute the
//! HMAC over the raw body, compare in constant time and reject a `t` older than a few minutes.
//!
//! ## The contract
//!
//! - **One event per status change**, however many replicas saw it: the store writes the event
//!   (the outbox row) in the transaction that makes the change, and a change that another
//!   replica already made writes nothing.
//! - **At least once**: an event is retried until a receiver answers 2xx, with exponential
//!   backoff plus jitter kept in the store (attempts, next attempt, last error), so retries
//!   survive restarts and `kill -9`. A replica that dies mid-delivery leaves a lease that
//!   expires ([`WebhookConfig::lease`]); another replica (or the same one, restarted) then
//!   sends the same event again. **De-duplicate on `event_id`** (= `X-Toolwire-Event-Id`),
//!   which is the same in every retry and redelivery (and in the in-process
//!   `Toolwire::subscribe` event).
//! - **In order per account**: an account's event N+1 is not sent before its event N was
//!   delivered or dropped. Different accounts are delivered concurrently (at most
//!   [`MAX_IN_FLIGHT`] at once per replica).
//! - 4xx answers other than 408/429 mean "do not retry": the event is dropped, as it is after
//!   [`WebhookConfig::max_attempts`] attempts; both are logged. Delivered and dropped events are
//!   kept a day, then pruned (`toolwire_runtime`'s outbox retention).
//!
//! Delivery runs on its own tasks, off the tool-call path: a slow or failing receiver never
//! delays a call. The dispatcher (`dispatch.rs`) wakes on this process's own events and polls
//! the store every [`WebhookConfig::poll_interval`] for the others' (and for retries that came
//! due). On graceful shutdown ([`Webhooks::stop`]) a replica hands its claims back at once, so
//! another replica delivers without waiting for the lease.

mod attempt;
mod config;
mod dispatch;
mod sign;

use toolwire_runtime::Toolwire;

pub use attempt::{backoff, body};
pub use config::{MAX_IN_FLIGHT, WebhookConfig};
pub use sign::{signature, verify};

use crate::error::Result;

/// Starts delivering `tw`'s outbox (every replica's events, not only this process's); runs
/// until the runtime is dropped or [`Webhooks::stop`].
pub fn spawn(tw: &Toolwire, config: WebhookConfig) -> Result<Webhooks> {
    let client = toolwire_runtime::http::client(&Default::default())?;
    let wake = tw.subscribe();
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(dispatch::run(
        tw.store().clone(),
        wake,
        stopped,
        client,
        config,
    ));
    Ok(Webhooks { stop, task })
}

/// The running dispatcher.
#[derive(Debug)]
pub struct Webhooks {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Webhooks {
    /// Stops delivering (graceful shutdown, before the store closes): deliveries under way get a
    /// second to finish, the rest are cut and their claims handed back to the other replicas.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }

    /// Stops at once, keeping its claims (what a crash does: the events are sent again when
    /// their leases run out).
    pub async fn abort(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}
