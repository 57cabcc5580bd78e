//! One delivery attempt of one event: the JSON body, the signed POST, and what its answer means (delivered,
//! retry later, or refused for good). Errors are described without the URL or any secret,
//! since they are stored in the outbox row.

use std::time::Duration;

use serde_json::{Value, json};
use toolwire_runtime::StatusEvent;

use super::config::WebhookConfig;
use super::sign::signature;

/// The JSON body of one event.
pub fn body(event: &StatusEvent) -> Value {
    let mut v = json!({"type": "account.status_changed"});
    if let (Some(obj), Ok(Value::Object(fields))) = (v.as_object_mut(), serde_json::to_value(event))
    {
        obj.extend(fields);
    }
    v
}

/// What one attempt came to.
#[derive(Debug)]
pub(super) enum Outcome {
    /// The receiver answered 2xx.
    Delivered,
    /// Worth another attempt (5xx, 408, 429, a network error or timeout); why.
    Retry(String),
    /// The receiver refused it for good (any other 4xx); why.
    Refused(String),
}

/// POSTs `event` once.
pub(super) async fn attempt(
    client: &reqwest::Client,
    config: &WebhookConfig,
    event: &StatusEvent,
) -> Outcome {
    let body = body(event).to_string();
    let t = chrono::Utc::now().timestamp();
    let sent = client
        .post(config.url.clone())
        .timeout(config.timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Toolwire-Event-Id", event.event_id.to_string())
        .header("X-Toolwire-Signature", signature(&config.secret, t, &body))
        .body(body)
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => Outcome::Delivered,
        Ok(r) => {
            let s = r.status().as_u16();
            let why = format!("the receiver answered HTTP {s}");
            if r.status().is_client_error() && s != 408 && s != 429 {
                Outcome::Refused(why)
            } else {
                Outcome::Retry(why)
            }
        }
        Err(e) if e.is_timeout() => Outcome::Retry(format!(
            "no answer within {} s",
            config.timeout.as_secs_f32()
        )),
        Err(e) if e.is_connect() => Outcome::Retry("could not connect to the receiver".into()),
        Err(e) => Outcome::Retry(format!("request failed: {}", e.without_url())),
    }
}

/// The wait before attempt `attempt + 1`: `base * 2^(attempt-1)`, capped at 5 minutes, plus up
/// to 10% jitter (so replicas' retries of many events do not arrive in lockstep).
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let d = base
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(Duration::from_secs(300));
    d + d.mul_f64(rand::random::<f64>() * 0.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_bounded_jitter_and_a_cap() {
        let base = Duration::from_secs(1);
        for (attempt, want) in [(1, 1), (2, 2), (3, 4), (4, 8)] {
            let d = backoff(base, attempt);
            let want = Duration::from_secs(want);
            assert!(d >= want && d <= want.mul_f64(1.1), "{attempt}: {d:?}");
        }
        assert!(backoff(base, 40) <= Duration::from_secs(330));
    }
}
