//! Where and how webhooks are delivered: the receiver, the HMAC key, attempts, backoff base,
//! per-attempt timeout (and the lease it implies), poll interval.

use std::time::Duration;

use secrecy::SecretString;

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
