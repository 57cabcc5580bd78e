//! Webhook signatures: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, and the
//! receiver-side check (used by tests; host apps can port it).

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret as _, SecretString};
use sha2::Sha256;

fn mac(secret: &SecretString, t: i64, body: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    mac
}

/// The `X-Toolwire-Signature` header value for `body` sent at `t`.
pub fn signature(secret: &SecretString, t: i64, body: &str) -> String {
    format!(
        "t={t},v1={}",
        hex::encode(mac(secret, t, body).finalize().into_bytes())
    )
}

/// Whether `header` is a valid signature of `body` made at most `tolerance_s` seconds before
/// `now` (constant-time comparison).
pub fn verify(secret: &SecretString, header: &str, body: &str, now: i64, tolerance_s: i64) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    if (now - t).abs() > tolerance_s {
        return false;
    }
    mac(secret, t, body).verify_slice(&v1).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies() {
        let secret = SecretString::from("s3cret");
        let sig = signature(&secret, 1_700_000_000, "{\"a\":1}");
        assert!(sig.starts_with("t=1700000000,v1="));
        assert!(verify(&secret, &sig, "{\"a\":1}", 1_700_000_010, 300));
        assert!(!verify(&secret, &sig, "{\"a\":2}", 1_700_000_010, 300));
        assert!(!verify(
            &SecretString::from("other"),
            &sig,
            "{\"a\":1}",
            1_700_000_010,
            300
        ));
        assert!(!verify(&secret, &sig, "{\"a\":1}", 1_700_001_000, 300));
        assert!(!verify(&secret, "garbage", "{\"a\":1}", 1_700_000_000, 300));
    }
}
