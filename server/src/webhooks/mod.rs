//! Status-change webhooks to the host app (`toolwire serve --webhook-url URL`, secret from
//! `TOOLWIRE_WEBHOOK_SECRET`).
//!
//! Every [`StatusEvent`] the runtime broadcasts is POSTed as JSON:
//!
//! ```json
//! {"type": "account.status_changed", "event_id": "<uuid, same on every retry>",
//!  "account_id": "...", "connection": "zendesk", "identifier": "user_zd_123",
//!  "from": "ACTIVE", "to": "REVOKED", "reason": "...", "message": "...", "at": "<RFC 3339>"}
//! ```
//!
//! with `X-Toolwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
//! (see [`signature`]) and `X-Toolwire-Event-Id`. Receivers should recompute the HMAC over the
//! raw body, compare in constant time and reject a `t` older than a few minutes.
//!
//! Delivery runs on its own tasks, off the tool-call path: a slow or failing receiver never
//! delays a call. Non-2xx answers (except 4xx other than 408/429, which mean "do not retry")
//! and network errors are retried with exponential backoff plus jitter, up to
//! [`WebhookConfig::max_attempts`]; then the event is logged as dropped. At most
//! [`MAX_IN_FLIGHT`] events are delivered at once; if the runtime's event channel overflows
//! the number of lost events is logged.

mod sign;

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, broadcast};
use toolwire_runtime::{StatusEvent, Toolwire};

pub use sign::{signature, verify};

use crate::error::{Result, ServerError};

/// Most deliveries (each with its retries) running at once.
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
        })
    }
}

/// Subscribes to `tw`'s status events and delivers each one; runs until the runtime is dropped.
pub fn spawn(tw: &Toolwire, config: WebhookConfig) -> Result<tokio::task::JoinHandle<()>> {
    let client = toolwire_runtime::http::client(&Default::default())?;
    let rx = tw.subscribe();
    Ok(tokio::spawn(run(rx, client, Arc::new(config))))
}

async fn run(
    mut rx: broadcast::Receiver<StatusEvent>,
    client: reqwest::Client,
    config: Arc<WebhookConfig>,
) {
    let permits = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    loop {
        match rx.recv().await {
            Ok(event) => {
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    return;
                };
                let (client, config) = (client.clone(), config.clone());
                tokio::spawn(async move {
                    deliver(&client, &config, &event).await;
                    drop(permit);
                });
            }
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(
                    lost = n,
                    "webhooks fell behind; status events were not delivered"
                );
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// The JSON body of one event.
pub fn body(event: &StatusEvent, event_id: uuid::Uuid) -> Value {
    let mut v = json!({"type": "account.status_changed", "event_id": event_id.to_string()});
    if let (Some(obj), Ok(Value::Object(fields))) = (v.as_object_mut(), serde_json::to_value(event))
    {
        obj.extend(fields);
    }
    v
}

/// Delivers one event with retries; returns whether the receiver accepted it.
pub async fn deliver(
    client: &reqwest::Client,
    config: &WebhookConfig,
    event: &StatusEvent,
) -> bool {
    let event_id = uuid::Uuid::new_v4();
    let body = body(event, event_id).to_string();
    for attempt in 1..=config.max_attempts.max(1) {
        let t = chrono::Utc::now().timestamp();
        let sent = client
            .post(config.url.clone())
            .timeout(config.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Toolwire-Event-Id", event_id.to_string())
            .header("X-Toolwire-Signature", signature(&config.secret, t, &body))
            .body(body.clone())
            .send()
            .await;
        let retry = match sent {
            Ok(r) if r.status().is_success() => return true,
            Ok(r) => {
                let s = r.status();
                tracing::warn!(status = s.as_u16(), attempt, %event_id, "webhook delivery refused");
                !s.is_client_error() || s.as_u16() == 408 || s.as_u16() == 429
            }
            Err(e) => {
                tracing::warn!(error = %e.without_url(), attempt, %event_id, "webhook delivery failed");
                true
            }
        };
        if !retry || attempt == config.max_attempts {
            break;
        }
        tokio::time::sleep(backoff(config.base_delay, attempt)).await;
    }
    tracing::error!(%event_id, connection = %event.connection, "webhook event dropped after retries");
    false
}

/// `base * 2^(attempt-1)`, capped at 5 minutes, plus up to 10% jitter.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let d = base
        .saturating_mul(1u32 << (attempt - 1).min(16))
        .min(Duration::from_secs(300));
    d + d.mul_f64(rand::random::<f64>() * 0.1)
}
