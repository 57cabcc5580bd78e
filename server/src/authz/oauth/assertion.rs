//! The host app's login assertion: a compact JWS (HS256) signed with the shared secret
//! `TOOLWIRE_MCP_LOGIN_SECRET`, claims `{sub: identifier, aud: <public URL>, iat, exp}`, at
//! most 10 minutes long. Only HS256 is accepted (never `none`, never another algorithm).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// The longest an assertion may live.
pub const MAX_LIFETIME_S: i64 = 600;

#[derive(Deserialize)]
struct Header {
    alg: String,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    aud: String,
    exp: i64,
    #[serde(default)]
    iat: Option<i64>,
}

/// The identifier an assertion names, if it is valid for `audience` at `now` (unix seconds).
pub fn verify(secret: &[u8], token: &str, audience: &str, now: i64) -> Result<String, String> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the assertion is not a compact JWS".into());
    };
    let header: Header = decode(h)?;
    if header.alg != "HS256" {
        return Err("the assertion must be signed with HS256".into());
    }
    let sig = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| "the assertion's signature is not base64url".to_string())?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
    mac.update(format!("{h}.{p}").as_bytes());
    mac.verify_slice(&sig)
        .map_err(|_| "the assertion's signature does not verify".to_string())?;
    let claims: Claims = decode(p)?;
    if claims.aud != audience {
        return Err(format!("the assertion's aud must be {audience}"));
    }
    if claims.exp <= now {
        return Err("the assertion has expired".into());
    }
    if claims.exp - claims.iat.unwrap_or(now) > MAX_LIFETIME_S || claims.exp - now > MAX_LIFETIME_S
    {
        return Err(format!("the assertion may live at most {MAX_LIFETIME_S} s"));
    }
    toolwire_runtime::identifier::check(&claims.sub, "login assertion")
        .map_err(|e| e.to_string())?;
    Ok(claims.sub)
}

/// Signs an assertion (what a host app does; used by tests and the demo).
pub fn sign(secret: &[u8], identifier: &str, audience: &str, now: i64, ttl_s: i64) -> String {
    let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims =
        serde_json::json!({"sub": identifier, "aud": audience, "iat": now, "exp": now + ttl_s});
    let p = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
    mac.update(format!("{h}.{p}").as_bytes());
    let s = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{h}.{p}.{s}")
}

fn decode<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| "the assertion is not base64url".to_string())?;
    serde_json::from_slice(&bytes).map_err(|_| "the assertion's JSON is not as expected".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assertions_verify_only_when_signed_fresh_and_for_us() {
        let k = b"0123456789abcdef0123456789abcdef";
        let aud = "https://tw.example";
        let ok = sign(k, "user_1", aud, 1000, 60);
        assert_eq!(verify(k, &ok, aud, 1010).unwrap(), "user_1");
        assert!(verify(b"another secret, another host app!", &ok, aud, 1010).is_err());
        assert!(verify(k, &ok, "https://other.example", 1010).is_err());
        assert!(verify(k, &ok, aud, 1061).is_err(), "expired");
        assert!(
            verify(k, &sign(k, "u", aud, 1000, 3600), aud, 1000).is_err(),
            "too long"
        );
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            ok.split('.').nth(1).unwrap()
        );
        assert!(verify(k, &none, aud, 1010).is_err(), "alg none");
        let mut parts: Vec<&str> = ok.split('.').collect();
        let forged =
            URL_SAFE_NO_PAD.encode(r#"{"sub":"admin","aud":"https://tw.example","exp":1060}"#);
        parts[1] = &forged;
        assert!(
            verify(k, &parts.join("."), aud, 1010).is_err(),
            "altered claims"
        );
    }
}
