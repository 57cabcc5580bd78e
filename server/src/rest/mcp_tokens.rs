//! `/v1/mcp_tokens`: per-identifier access tokens for MCP clients, minted by the host app
//! (API key). `POST` answers the token once; it is kept only as a hash ([`crate::authz::token`]).
//! `GET` lists them (never a token value), `DELETE /v1/mcp_tokens/{id}` revokes one — the next
//! `/mcp` request with it is refused, on every replica (each request reads the store).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Duration;
use serde::{Deserialize, Serialize};
use toolwire_runtime::Toolwire;
use toolwire_runtime::store::{AccessTokenRecord, NewAccessToken, now};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::authz::{Toolsets, token};
use crate::error::{Result, ServerError};
use crate::web::{ErrorBody, JsonBody};

/// Default lifetime of a minted token (30 days).
pub const DEFAULT_TTL_S: u64 = 30 * 24 * 3600;
/// Longest lifetime (one year).
pub const MAX_TTL_S: u64 = 365 * 24 * 3600;

/// `POST /v1/mcp_tokens` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MintToken {
    /// The identifier every call made with the token acts for.
    identifier: String,
    /// Limit it to one of the operator's toolsets (`--mcp-toolset`).
    #[serde(default)]
    toolset: Option<String>,
    /// Limit it to tools annotated read-only.
    #[serde(default)]
    read_only: bool,
    /// Lifetime in seconds (60 to 31536000; default 2592000, 30 days).
    #[serde(default)]
    ttl_s: Option<u64>,
}

/// A token as listed (never its value).
#[derive(Debug, Serialize, ToSchema)]
pub struct McpTokenView {
    /// Its id (what `DELETE` takes).
    #[schema(value_type = String)]
    id: Uuid,
    /// The identifier it acts for.
    identifier: String,
    /// The toolset it is limited to.
    toolset: Option<String>,
    /// Only read-only tools.
    read_only: bool,
    /// `active`, `revoked` or `expired`.
    status: &'static str,
    /// The OAuth client it was issued to, if any.
    client_id: Option<String>,
    /// RFC 3339.
    created_at: String,
    /// RFC 3339.
    expires_at: Option<String>,
    /// RFC 3339.
    revoked_at: Option<String>,
}

impl From<AccessTokenRecord> for McpTokenView {
    fn from(t: AccessTokenRecord) -> Self {
        let status = if t.revoked_at.is_some() {
            "revoked"
        } else if t.is_live(now()) {
            "active"
        } else {
            "expired"
        };
        McpTokenView {
            id: t.id,
            identifier: t.identifier,
            toolset: t.toolset,
            read_only: t.read_only,
            status,
            client_id: t.client_id,
            created_at: t.created_at.to_rfc3339(),
            expires_at: t.expires_at.map(|e| e.to_rfc3339()),
            revoked_at: t.revoked_at.map(|e| e.to_rfc3339()),
        }
    }
}

/// `POST /v1/mcp_tokens` response: the token, shown this once (`Debug` leaves it out).
#[derive(Serialize, ToSchema)]
pub struct MintedToken {
    /// `Authorization: Bearer <token>` on `/mcp`. Not retrievable again.
    token: String,
    /// What it is bound to.
    mcp_token: McpTokenView,
}

impl std::fmt::Debug for MintedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MintedToken")
            .field("token", &"[redacted]")
            .field("mcp_token", &self.mcp_token)
            .finish()
    }
}

/// `GET /v1/mcp_tokens` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct McpTokenList {
    /// Newest first.
    mcp_tokens: Vec<McpTokenView>,
}

/// Query of `GET /v1/mcp_tokens`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this identifier's tokens.
    identifier: Option<String>,
    /// At most this many (1 to 1000, default 100).
    limit: Option<u32>,
}

/// Mints a token bound to one identifier (optionally a toolset and read-only).
#[utoipa::path(post, path = "/v1/mcp_tokens", operation_id = "mint_mcp_token", tag = "mcp",
    security(("api_key" = [])), request_body = MintToken,
    responses((status = 201, description = "The token (shown once)", body = MintedToken),
        (status = 400, description = "INVALID_INPUT (identifier), INVALID_REQUEST (toolset, ttl_s)", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody)))]
pub async fn mint(
    State(tw): State<Toolwire>,
    State(toolsets): State<Arc<Toolsets>>,
    JsonBody(req): JsonBody<MintToken>,
) -> Result<(StatusCode, Json<MintedToken>)> {
    toolwire_runtime::identifier::check(&req.identifier, "mcp token")?;
    if let Some(set) = &req.toolset
        && !toolsets.contains(set)
    {
        let declared: Vec<_> = toolsets.names().collect();
        return Err(ServerError::InvalidRequest(format!(
            "toolset `{set}` is not declared (declared: {declared:?}; see --mcp-toolset)"
        )));
    }
    let ttl = req.ttl_s.unwrap_or(DEFAULT_TTL_S);
    if !(60..=MAX_TTL_S).contains(&ttl) {
        return Err(ServerError::InvalidRequest(format!(
            "ttl_s must be 60 to {MAX_TTL_S} seconds"
        )));
    }
    let new = NewAccessToken {
        identifier: req.identifier,
        toolset: req.toolset,
        read_only: req.read_only,
        audience: None,
        client_id: None,
        expires_at: Some(now() + Duration::seconds(ttl as i64)),
    };
    let (token, record) = token::mint(tw.store(), &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(MintedToken {
            token,
            mcp_token: record.into(),
        }),
    ))
}

/// Lists tokens (never their values), newest first.
#[utoipa::path(get, path = "/v1/mcp_tokens", operation_id = "list_mcp_tokens", tag = "mcp",
    security(("api_key" = [])), params(ListQuery),
    responses((status = 200, description = "Tokens", body = McpTokenList),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody)))]
pub async fn list(
    State(tw): State<Toolwire>,
    Query(q): Query<ListQuery>,
) -> Result<Json<McpTokenList>> {
    let rows = tw
        .store()
        .list_access_tokens(q.identifier.as_deref(), q.limit.unwrap_or(100))
        .await?;
    Ok(Json(McpTokenList {
        mcp_tokens: rows.into_iter().map(Into::into).collect(),
    }))
}

/// Revokes a token at once.
#[utoipa::path(delete, path = "/v1/mcp_tokens/{id}", operation_id = "revoke_mcp_token", tag = "mcp",
    security(("api_key" = [])), params(("id" = String, Path, description = "The token's id")),
    responses((status = 200, description = "Revoked (or already revoked)", body = McpTokenView),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody)))]
pub async fn revoke(
    State(tw): State<Toolwire>,
    Path(id): Path<String>,
) -> Result<Json<McpTokenView>> {
    let not_found = || ServerError::NotFound(format!("no MCP token with id `{id}`"));
    let uuid = Uuid::parse_str(&id).map_err(|_| not_found())?;
    tw.store().revoke_access_token(uuid).await?;
    let record = tw.store().access_token(uuid).await?.ok_or_else(not_found)?;
    Ok(Json(record.into()))
}
