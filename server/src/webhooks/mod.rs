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
//! delays a call. The dispatcher ([`dispatch`]) wakes on this process's own events and polls
//! the store every [`WebhookConfig::poll_interval`] for the others' (and for retries that came
//! due).

mod attempt;
mod dispatch;
mod sign;

use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};
use toolwire_runtime::{StatusEvent, Toolwire};

pub use attempt::backoff;
pub use sign::{signature, verify};

use crate::error::{Result, ServerError};

/// Most deliveries running at once in one process.
pub const MAX_IN_FLIGHT: usize = 16;

/// Where and how to deliver.
#[derive(Clone)]
pub struct WebhookConfig {
    /// The receiver (http or https).
    pub url: reqwest::Url,
    /// The HMAC key.
    pub secret: SecretString,
    /// Attempts per event, the first included (default 6).
    pub max_attempts: u32,
    /// Delay before the first retry; doubles each time (default 1 s, capped at 5 min).
    pub base_delay: Duration,
    /// Per-attempt timeout (default 10 s).
    pub timeout: Duration,
    /// How often the store is polled for due events (default 1 s).
    pub poll_interval: Duration,
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("url", &self.url.as_str())
            .field("secret", &"[redacted]")
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

impl WebhookConfig {
    /// Defaults for `url` and `secret`; rejects a URL that is not http(s) and an empty secret.
    pub fn new(url: &str, secret: SecretString) -> Result<Self> {
        use secrecy::ExposeSecret as _;
        let url = reqwest::Url::parse(url)
            .map_err(|e| ServerError::Usage(format!("--webhook-url {url}: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ServerError::Usage(
                "--webhook-url must be an http:// or https:// URL".into(),
            ));
        }
        if secret.expose_secret().trim().is_empty() {
            return Err(ServerError::Usage(
                "--webhook-url needs TOOLWIRE_WEBHOOK_SECRET (the HMAC key receivers verify with)"
                    .into(),
            ));
        }
        Ok(WebhookConfig {
            url,
            secret,
            max_attempts: 6,
            base_delay: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
            poll_interval: Duration::from_secs(1),
        })
    }

    /// How long a claimed event is held for one attempt: the attempt's timeout plus 5 s.
    /// A replica that dies mid-delivery delays that account's events by at most this.
    pub fn lease(&self) -> Duration {
        self.timeout + Duration::from_secs(5)
    }
}

/// Starts delivering `tw`'s outbox (every replica's events, not only this process's); runs
/// until the runtime is dropped.
pub fn spawn(tw: &Toolwire, config: WebhookConfig) -> Result<tokio::task::JoinHandle<()>> {
    let client = toolwire_runtime::http::client(&Default::default())?;
    let wake = tw.subscribe();
    Ok(tokio::spawn(dispatch::run(
        tw.store().clone(),
        wake,
        client,
        config,
    )))
}

/// The JSON body of one event.
pub fn body(event: &StatusEvent) -> Value {
    let mut v = json!({"type": "account.status_changed"});
    if let (Some(obj), Ok(Value::Object(fields))) = (v.as_object_mut(), serde_json::to_value(event))
    {
        obj.extend(fields);
    }
    v
}
