//! Credential resolution: turns an `Authorization` header into a [`Principal`]
//! (user, credential kind, scopes) or tells why not. API tokens (`{email}/token:{token}`) and
//! bearer tokens share one resolver; access tokens issued by `/oauth/tokens` are bearer tokens
//! of the tenant, so expiry, revocation and scopes are checked here for all of them.

use base64::Engine;
use chrono::Utc;

use crate::tenants::Tenant;

/// How the caller authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialKind {
    /// `Basic {email}/token:{api_token}`; `token_id` is the token's public id.
    ApiToken { token_id: u64 },
    /// `Bearer {access_token}`; `token_id` is the token's public id.
    Bearer { token_id: u64 },
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: u64,
    pub email: String,
    pub role: String,
    pub kind: CredentialKind,
    /// `None` = unrestricted (API tokens); `Some` = OAuth scopes.
    pub scopes: Option<Vec<String>>,
}

impl Principal {
    /// A log label that never contains the secret: `token:<email>#<id>` or `bearer:<id>`.
    pub fn label(&self) -> String {
        match self.kind {
            CredentialKind::ApiToken { token_id } => format!("token:{}#{}", self.email, token_id),
            CredentialKind::Bearer { token_id } => format!("bearer:{token_id}"),
        }
    }

    pub fn is_agent(&self) -> bool {
        self.role == "agent" || self.role == "admin"
    }

    /// The scope missing for `resource` (`tickets`, `users`, ...) with `write` or read access,
    /// or `None` if allowed. Scopes follow Zendesk: `read`, `write`, `{resource}:read`,
    /// `{resource}:write`.
    pub fn missing_scope(&self, resource: &str, write: bool) -> Option<String> {
        let scopes = self.scopes.as_ref()?;
        let verb = if write { "write" } else { "read" };
        let specific = format!("{resource}:{verb}");
        if scopes.iter().any(|s| s == verb || *s == specific) {
            None
        } else {
            Some(verb.to_string())
        }
    }
}

/// The result of looking at the `Authorization` header.
#[derive(Debug, Clone)]
pub enum AuthOutcome {
    /// No credentials at all.
    Missing,
    /// Basic email/password (passwords only sign in to the OAuth consent page, so this never
    /// authenticates on the API). Zendesk
    /// answers `/users/me` with the anonymous user for these.
    BadPassword {
        email: String,
    },
    /// Wrong or deactivated API token → 401 `Couldn't authenticate you`.
    BadToken {
        email: String,
    },
    /// Unknown, expired or revoked bearer → 401 `invalid_token`.
    BadBearer,
    /// A malformed header → 401.
    Malformed,
    Ok(Principal),
}

impl AuthOutcome {
    /// A log label without secrets.
    pub fn label(&self) -> String {
        match self {
            AuthOutcome::Missing => "none".into(),
            AuthOutcome::BadPassword { email } => format!("password:{email} (rejected)"),
            AuthOutcome::BadToken { email } => format!("token:{email} (rejected)"),
            AuthOutcome::BadBearer => "bearer (rejected)".into(),
            AuthOutcome::Malformed => "malformed".into(),
            AuthOutcome::Ok(p) => p.label(),
        }
    }
}

/// Resolve an `Authorization` header value against a tenant.
pub fn resolve(tenant: &Tenant, header: Option<&[u8]>) -> AuthOutcome {
    let Some(raw) = header else {
        return AuthOutcome::Missing;
    };
    let Ok(s) = std::str::from_utf8(raw) else {
        return AuthOutcome::Malformed;
    };
    let s = s.trim();
    let (scheme, rest) = s.split_once(' ').unwrap_or((s, ""));
    match scheme.to_ascii_lowercase().as_str() {
        "basic" => basic(tenant, rest.trim()),
        "bearer" => bearer(tenant, rest.trim()),
        _ => AuthOutcome::Malformed,
    }
}

fn basic(tenant: &Tenant, b64: &str) -> AuthOutcome {
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64) else {
        return AuthOutcome::Malformed;
    };
    let Ok(pair) = String::from_utf8(bytes) else {
        return AuthOutcome::Malformed;
    };
    let Some((user, secret)) = pair.split_once(':') else {
        return AuthOutcome::Malformed;
    };
    let Some(email) = user.strip_suffix("/token") else {
        return AuthOutcome::BadPassword {
            email: user.to_string(),
        };
    };
    let bad = || AuthOutcome::BadToken {
        email: email.to_string(),
    };
    let Some(u) = tenant.user_by_email(email) else {
        return bad();
    };
    if !u.active {
        return bad();
    }
    match tenant
        .api_tokens
        .iter()
        .find(|t| t.active && t.token == secret)
    {
        Some(t) => AuthOutcome::Ok(Principal {
            user_id: u.id,
            email: u.email.clone().unwrap_or_default(),
            role: u.role.clone(),
            kind: CredentialKind::ApiToken { token_id: t.id },
            scopes: None,
        }),
        None => bad(),
    }
}

fn bearer(tenant: &Tenant, token: &str) -> AuthOutcome {
    let now = Utc::now();
    let Some(t) = tenant.bearer_tokens.iter().find(|t| t.token == token) else {
        return AuthOutcome::BadBearer;
    };
    if t.revoked || t.expires_at.is_some_and(|e| e <= now) {
        return AuthOutcome::BadBearer;
    }
    let Some(u) = tenant.users.get(&t.user_id) else {
        return AuthOutcome::BadBearer;
    };
    AuthOutcome::Ok(Principal {
        user_id: u.id,
        email: u.email.clone().unwrap_or_default(),
        role: u.role.clone(),
        kind: CredentialKind::Bearer { token_id: t.id },
        scopes: Some(t.scopes.clone()),
    })
}
