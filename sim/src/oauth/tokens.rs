//! The token endpoint `POST /oauth/tokens` (RFC 6749 §3.2, §4.1.3, §4.4, §6; PKCE RFC 7636
//! §4.6). Client authentication by HTTP Basic or `client_id` + `client_secret` in the body;
//! grants `authorization_code` (single-use codes: a second use revokes what the first one
//! issued), `refresh_token` (rotation: the old pair dies) and `client_credentials`
//! (confidential clients). Errors are RFC 6749 §5.2 JSON: `invalid_client` → 401, others → 400.

use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::authorize::pkce_token_ok;
use super::clients::parse_scopes;
use super::grants::{Issued, issue, revoke_access, revoke_grant};
use super::params::Params;
use crate::api::reply::Reply;
use crate::tenants::Tenant;

const INVALID_GRANT: &str = "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
const INVALID_CLIENT: &str = "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.";

/// A token-endpoint error, RFC 6749 §5.2.
struct OAuthError {
    error: &'static str,
    description: String,
}

fn err(error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError {
        error,
        description: description.into(),
    }
}

fn grant_err(detail: &str) -> OAuthError {
    err("invalid_grant", format!("{INVALID_GRANT} ({detail})"))
}

fn no_store(r: Reply) -> Reply {
    r.header("cache-control", "no-store")
        .header("pragma", "no-cache")
}

/// Decode the body: JSON when it looks like JSON, otherwise form-encoded.
pub fn body_params(content_type: &str, body: &[u8]) -> Option<Params> {
    let trimmed = body.iter().find(|b| !b.is_ascii_whitespace());
    if content_type.contains("json") || trimmed == Some(&b'{') {
        let v: Map<String, Value> = serde_json::from_slice(body).ok()?;
        let pairs = v.into_iter().filter_map(|(k, v)| match v {
            Value::String(s) => Some((k, s)),
            Value::Number(n) => Some((k, n.to_string())),
            Value::Bool(b) => Some((k, b.to_string())),
            _ => None,
        });
        return Some(Params::from_pairs(pairs));
    }
    Some(Params::from_pairs(
        url::form_urlencoded::parse(body).into_owned(),
    ))
}

/// Client credentials from `Authorization: Basic` (form-urlencoded parts, RFC 6749 §2.3.1).
fn basic_client(header: Option<&str>) -> Option<(String, String)> {
    let (scheme, rest) = header?.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let pair = String::from_utf8(raw).ok()?;
    let (id, secret) = pair.split_once(':')?;
    let dec = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((dec(id), dec(secret)))
}

/// Handle one token request; returns the reply and a secret-free log label.
pub fn exchange(
    t: &mut Tenant,
    auth_header: Option<&str>,
    p: &Params,
    now: DateTime<Utc>,
) -> (Reply, String) {
    let grant = p.get("grant_type").unwrap_or("").to_string();
    match grant.as_str() {
        "authorization_code" => t.oauth.stats.authorization_code += 1,
        "refresh_token" => t.oauth.stats.refresh_token += 1,
        "client_credentials" => t.oauth.stats.client_credentials += 1,
        _ => {}
    }
    let from_header = basic_client(auth_header);
    let used_header = from_header.is_some();
    let (client_id, secret) = match from_header {
        Some((id, s)) => (Some(id), Some(s)),
        None => (
            p.get("client_id").map(str::to_string),
            p.get("client_secret").map(str::to_string),
        ),
    };
    let label = |outcome: &str| {
        let client = client_id.as_deref().unwrap_or("?");
        let g = if grant.is_empty() {
            "?"
        } else {
            grant.as_str()
        };
        format!("oauth:{client} grant:{g}{outcome}")
    };
    match run(t, &grant, client_id.as_deref(), secret.as_deref(), p, now) {
        Ok(issued) => {
            let mut body = json!({
                "access_token": issued.access_token,
                "token_type": "bearer",
                "scope": issued.scopes.join(" "),
                "expires_in": issued.expires_in,
            });
            if let Some((rt, rttl)) = issued.refresh {
                body["refresh_token"] = json!(rt);
                body["refresh_token_expires_in"] = json!(rttl);
            }
            let l = label(&format!(" -> bearer:{}", issued.access_id));
            (no_store(Reply::ok(body)), l)
        }
        Err(e) => {
            let status = if e.error == "invalid_client" {
                401
            } else {
                400
            };
            let mut r = no_store(Reply::json(
                status,
                json!({"error": e.error, "error_description": e.description}),
            ));
            if status == 401 && used_header {
                r = r.header("www-authenticate", "Basic realm=\"Doorkeeper\"");
            }
            (r, label(&format!(" (rejected: {})", e.error)))
        }
    }
}

fn run(
    t: &mut Tenant,
    grant: &str,
    client_id: Option<&str>,
    secret: Option<&str>,
    p: &Params,
    now: DateTime<Utc>,
) -> Result<Issued, OAuthError> {
    if grant.is_empty() {
        return Err(err(
            "invalid_request",
            "Missing required parameter: grant_type.",
        ));
    }
    if !matches!(
        grant,
        "authorization_code" | "refresh_token" | "client_credentials"
    ) {
        return Err(err(
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        ));
    }
    let client = client_id
        .and_then(|id| t.oauth.client(id))
        .ok_or_else(|| err("invalid_client", INVALID_CLIENT))?
        .clone();
    let secret_ok = secret.is_some_and(|s| s == client.secret);
    if (client.confidential || secret.is_some_and(|s| !s.is_empty())) && !secret_ok {
        return Err(err("invalid_client", INVALID_CLIENT));
    }
    match grant {
        "authorization_code" => code_grant(t, &client.identifier, p, now),
        "refresh_token" => refresh_grant(t, &client.identifier, p, now),
        _ => {
            if !client.confidential {
                return Err(err(
                    "unauthorized_client",
                    "The client is not authorized to perform this request using this method.",
                ));
            }
            let scopes = match p.get("scope") {
                Some(s) => parse_scopes(s),
                None => client.scopes.clone(),
            };
            if scopes.is_empty() || scopes.iter().any(|s| !client.scope_allowed(s)) {
                return Err(err(
                    "invalid_scope",
                    "The requested scope is invalid, unknown, or malformed.",
                ));
            }
            let owner = match client.owner_email.as_deref() {
                Some(e) => t.user_by_email(e).map(|u| u.id),
                None => t
                    .users
                    .values()
                    .find(|u| u.role == "admin" && u.active)
                    .map(|u| u.id),
            }
            .ok_or_else(|| err("invalid_client", "The client has no owner user."))?;
            let grant_id = t.oauth.new_grant();
            Ok(issue(
                t,
                &client.identifier,
                owner,
                scopes,
                grant_id,
                false,
                now,
            ))
        }
    }
}

fn code_grant(
    t: &mut Tenant,
    client: &str,
    p: &Params,
    now: DateTime<Utc>,
) -> Result<Issued, OAuthError> {
    let code = p
        .get("code")
        .ok_or_else(|| err("invalid_request", "Missing required parameter: code."))?;
    let Some(c) = t.oauth.codes.get_mut(code) else {
        return Err(grant_err("unknown code"));
    };
    if c.client != client {
        return Err(grant_err("code was issued to another client"));
    }
    if c.used {
        let grant_id = c.grant_id;
        revoke_grant(t, grant_id);
        return Err(grant_err(
            "code already used; tokens issued from it are revoked",
        ));
    }
    c.used = true;
    let c = c.clone();
    if c.expires_at <= now {
        return Err(grant_err("code expired"));
    }
    if p.get("redirect_uri") != Some(c.redirect_uri.as_str()) {
        return Err(grant_err(
            "redirect_uri does not match the authorization request",
        ));
    }
    match (&c.challenge, p.get("code_verifier")) {
        (Some(_), None) => {
            return Err(err(
                "invalid_request",
                "Missing required parameter: code_verifier.",
            ));
        }
        (Some(ch), Some(v)) => {
            let digest = Sha256::digest(v.as_bytes());
            let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
            if !pkce_token_ok(v) || computed != *ch {
                return Err(grant_err("code_verifier does not match code_challenge"));
            }
        }
        (None, Some(_)) => {
            return Err(grant_err(
                "code_verifier sent but the authorization request had no code_challenge",
            ));
        }
        (None, None) => {}
    }
    Ok(issue(t, client, c.user_id, c.scopes, c.grant_id, true, now))
}

fn refresh_grant(
    t: &mut Tenant,
    client: &str,
    p: &Params,
    now: DateTime<Utc>,
) -> Result<Issued, OAuthError> {
    let token = p.get("refresh_token").ok_or_else(|| {
        err(
            "invalid_request",
            "Missing required parameter: refresh_token.",
        )
    })?;
    let Some(rt) = t.oauth.refresh_tokens.iter_mut().find(|r| r.token == token) else {
        return Err(grant_err("unknown refresh token"));
    };
    if rt.client != client {
        return Err(grant_err("refresh token was issued to another client"));
    }
    if rt.revoked {
        return Err(grant_err("refresh token was revoked or already used"));
    }
    if rt.expires_at <= now {
        return Err(grant_err("refresh token expired"));
    }
    let scopes = match p.get("scope") {
        Some(s) => {
            let asked = parse_scopes(s);
            if asked.is_empty() || asked.iter().any(|s| !rt.scopes.contains(s)) {
                return Err(err(
                    "invalid_scope",
                    "The requested scope is invalid, unknown, or malformed.",
                ));
            }
            asked
        }
        None => rt.scopes.clone(),
    };
    rt.revoked = true;
    let (user_id, grant_id, access_id) = (rt.user_id, rt.grant_id, rt.access_id);
    revoke_access(t, access_id);
    Ok(issue(t, client, user_id, scopes, grant_id, true, now))
}
