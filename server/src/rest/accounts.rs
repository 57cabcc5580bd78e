//! `/v1/connected_accounts`: get-or-create (optionally with credentials), get, list, replace
//! credentials, delete, status history. Responses never contain credentials.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use toolwire_runtime::{AccountFilter, AccountRecord, AccountStatus, Credentials};

use super::AppState;
use super::body::JsonBody;
use crate::error::{Result, ServerError};

/// A connected account as the API shows it (no credentials, ever).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    connection_name: String,
    identifier: String,
    #[schema(value_type = super::openapi::AccountStatus)]
    status: AccountStatus,
    status_reason: Option<String>,
    status_message: Option<String>,
    auth_scheme: Option<String>,
    config: Map<String, Value>,
    created_at: String,
    updated_at: String,
    last_used_at: Option<String>,
}

impl From<AccountRecord> for AccountView {
    fn from(a: AccountRecord) -> Self {
        AccountView {
            connection_name: a.connection,
            identifier: a.identifier,
            status: a.status,
            status_reason: a.status_reason,
            status_message: a.status_message,
            auth_scheme: a.auth_scheme,
            config: a.config,
            created_at: a.created_at.to_rfc3339(),
            updated_at: a.updated_at.to_rfc3339(),
            last_used_at: a.last_used_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// `POST /v1/connected_accounts` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    connection_name: String,
    identifier: String,
    #[serde(default)]
    config: Option<Map<String, Value>>,
    #[serde(default)]
    credentials: Option<Map<String, Value>>,
    #[serde(default)]
    auth_scheme: Option<String>,
}

/// `PUT .../credentials` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutCredentials {
    #[serde(default)]
    config: Option<Map<String, Value>>,
    credentials: Map<String, Value>,
    #[serde(default)]
    auth_scheme: Option<String>,
}

/// Get-or-create; with credentials, also verifies and stores them (account becomes ACTIVE).
#[utoipa::path(post, path = "/v1/connected_accounts", operation_id = "create_connected_account", tag = "accounts", security(("api_key" = [])),
    request_body = CreateAccount,
    responses((status = 200, description = "The account", body = AccountView),
        (status = 400, description = "Invalid request", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = super::openapi::ErrorBody),
        (status = 404, description = "Unknown connection", body = super::openapi::ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    JsonBody(req): JsonBody<CreateAccount>,
) -> Result<Json<AccountView>> {
    // The identifier is checked by the runtime (`toolwire_runtime::identifier`).
    let accounts = s.tw.accounts();
    let record = match req.credentials {
        Some(creds) => {
            let config = req.config.unwrap_or_default();
            accounts
                .set_credentials(
                    &req.connection_name,
                    &req.identifier,
                    &config,
                    req.auth_scheme.as_deref(),
                    Credentials::new(creds),
                )
                .await?
        }
        None if req.config.is_some() => {
            return Err(ServerError::InvalidRequest(
                "config is set together with credentials (they are verified together)".into(),
            ));
        }
        None => {
            accounts
                .get_or_create(&req.connection_name, &req.identifier)
                .await?
        }
    };
    Ok(Json(record.into()))
}

/// One account.
#[utoipa::path(get, path = "/v1/connected_accounts/{connection_name}/{identifier}", operation_id = "get_connected_account", tag = "accounts",
    security(("api_key" = [])), params(("connection_name" = String, Path, description = "Connection, e.g. `zendesk`"),
        ("identifier" = String, Path, description = "The host app's id for its user or customer")),
    responses((status = 200, description = "The account", body = AccountView),
        (status = 400, description = "Invalid request", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = super::openapi::ErrorBody),
        (status = 404, description = "No such account", body = super::openapi::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    Path((conn, ident)): Path<(String, String)>,
) -> Result<Json<AccountView>> {
    Ok(Json(require(&s, &conn, &ident).await?.into()))
}

/// Replaces credentials (config defaults to the account's current config).
#[utoipa::path(put, path = "/v1/connected_accounts/{connection_name}/{identifier}/credentials", operation_id = "put_credentials",
    tag = "accounts", security(("api_key" = [])), params(("connection_name" = String, Path, description = "Connection, e.g. `zendesk`"),
        ("identifier" = String, Path, description = "The host app's id for its user or customer")), request_body = PutCredentials,
    responses((status = 200, description = "The account (ACTIVE once verified)", body = AccountView),
        (status = 400, description = "Invalid request", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = super::openapi::ErrorBody),
        (status = 404, description = "No such account", body = super::openapi::ErrorBody)))]
pub async fn put_credentials(
    State(s): State<AppState>,
    Path((conn, ident)): Path<(String, String)>,
    JsonBody(req): JsonBody<PutCredentials>,
) -> Result<Json<AccountView>> {
    let current = require(&s, &conn, &ident).await?;
    let config = req.config.unwrap_or(current.config);
    let record =
        s.tw.accounts()
            .set_credentials(
                &conn,
                &ident,
                &config,
                req.auth_scheme.as_deref(),
                Credentials::new(req.credentials),
            )
            .await?;
    Ok(Json(record.into()))
}

/// Deletes the account and its credentials.
#[utoipa::path(delete, path = "/v1/connected_accounts/{connection_name}/{identifier}", operation_id = "delete_connected_account", tag = "accounts",
    security(("api_key" = [])), params(("connection_name" = String, Path, description = "Connection, e.g. `zendesk`"),
        ("identifier" = String, Path, description = "The host app's id for its user or customer")),
    responses((status = 200, description = "Deleted", body = super::openapi::Deleted),
        (status = 400, description = "Invalid request", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = super::openapi::ErrorBody),
        (status = 404, description = "No such account", body = super::openapi::ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    Path((conn, ident)): Path<(String, String)>,
) -> Result<Json<Value>> {
    if s.tw.accounts().delete(&conn, &ident).await? {
        Ok(Json(
            json!({"deleted": true, "connection_name": conn, "identifier": ident}),
        ))
    } else {
        Err(not_found(&conn, &ident))
    }
}

/// `GET /v1/connected_accounts` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    connection_name: Option<String>,
    status: Option<String>,
    /// Only accounts on this auth scheme (`api_token`, `oauth2`, ...).
    auth_scheme: Option<String>,
    page_token: Option<String>,
    limit: Option<u32>,
}

/// A page of accounts.
#[utoipa::path(get, path = "/v1/connected_accounts", operation_id = "list_connected_accounts", tag = "accounts", security(("api_key" = [])),
    params(ListQuery),
    responses((status = 200, description = "A page of accounts", body = super::openapi::AccountList),
        (status = 400, description = "Invalid request", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = super::openapi::ErrorBody),))]
pub async fn list(State(s): State<AppState>, Query(q): Query<ListQuery>) -> Result<Json<Value>> {
    let status = match q.status.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => Some(
            v.to_ascii_uppercase()
                .parse::<AccountStatus>()
                .map_err(|_| {
                    let all: Vec<&str> = AccountStatus::ALL.iter().map(|s| s.as_str()).collect();
                    ServerError::InvalidRequest(format!("status must be one of {}", all.join(", ")))
                })?,
        ),
        None => None,
    };
    let filter = AccountFilter {
        connection: q.connection_name.filter(|c| !c.is_empty()),
        status,
        auth_scheme: q.auth_scheme.filter(|a| !a.is_empty()),
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let page =
        s.tw.accounts()
            .list(
                &filter,
                q.page_token.as_deref().filter(|t| !t.is_empty()),
                limit,
            )
            .await?;
    let accounts: Vec<AccountView> = page.accounts.into_iter().map(Into::into).collect();
    Ok(Json(
        json!({"connected_accounts": accounts, "next_page_token": page.next_page_token}),
    ))
}

/// Status history, oldest first.
#[utoipa::path(get, path = "/v1/connected_accounts/{connection_name}/{identifier}/history", operation_id = "account_history",
    tag = "accounts", security(("api_key" = [])), params(("connection_name" = String, Path, description = "Connection, e.g. `zendesk`"),
        ("identifier" = String, Path, description = "The host app's id for its user or customer")),
    responses((status = 200, description = "Status changes, oldest first", body = super::openapi::History),
        (status = 400, description = "Invalid request", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = super::openapi::ErrorBody),))]
pub async fn history(
    State(s): State<AppState>,
    Path((conn, ident)): Path<(String, String)>,
) -> Result<Json<Value>> {
    let entries = s.tw.accounts().history(&conn, &ident).await?;
    let entries: Vec<Value> = entries
        .into_iter()
        .map(|e| json!({"from": e.from, "to": e.to, "reason": e.reason, "message": e.message, "at": e.at.to_rfc3339()}))
        .collect();
    Ok(Json(
        json!({"connection_name": conn, "identifier": ident, "history": entries}),
    ))
}

async fn require(s: &AppState, conn: &str, ident: &str) -> Result<AccountRecord> {
    s.tw.accounts()
        .get(conn, ident)
        .await?
        .ok_or_else(|| not_found(conn, ident))
}

fn not_found(conn: &str, ident: &str) -> ServerError {
    toolwire_runtime::Error::AccountNotFound {
        connection: conn.into(),
        identifier: ident.into(),
    }
    .into()
}
