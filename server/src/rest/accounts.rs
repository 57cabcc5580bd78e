//! `/v1/connected_accounts`: get-or-create (optionally with credentials), get, list, replace
//! credentials, delete, status history. Responses never contain credentials.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use toolwire_runtime::store::StatusHistoryEntry;
use toolwire_runtime::{AccountFilter, AccountRecord, AccountStatus, Credentials, Toolwire};
use utoipa::ToSchema;

use super::status::Status;
use crate::error::{Result, ServerError};
use crate::web::{ErrorBody, JsonBody};

/// A connected account as the API shows it (no credentials, ever).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    connection_name: String,
    identifier: String,
    status: Status,
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
            status: Status(a.status),
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

/// `GET /v1/connected_accounts` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountList {
    /// This page.
    connected_accounts: Vec<AccountView>,
    /// Pass as `page_token` for the next page; absent on the last.
    next_page_token: Option<String>,
}

/// `DELETE /v1/connected_accounts/{connection_name}/{identifier}` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deleted {
    /// Always true.
    deleted: bool,
    /// The connection.
    connection_name: String,
    /// The identifier.
    identifier: String,
}

/// `GET .../history` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    /// The connection.
    connection_name: String,
    /// The identifier.
    identifier: String,
    /// Oldest first.
    history: Vec<HistoryEntry>,
}

/// One status change.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// Previous status (null on the row that created the account).
    from: Option<Status>,
    /// New status.
    to: Status,
    /// Machine reason.
    reason: String,
    /// Actionable message.
    message: Option<String>,
    /// RFC 3339 time.
    at: String,
}

impl From<StatusHistoryEntry> for HistoryEntry {
    fn from(e: StatusHistoryEntry) -> Self {
        HistoryEntry {
            from: e.from.map(Status),
            to: Status(e.to),
            reason: e.reason,
            message: e.message,
            at: e.at.to_rfc3339(),
        }
    }
}

/// `POST /v1/connected_accounts` body.
#[derive(Deserialize, ToSchema)]
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
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutCredentials {
    #[serde(default)]
    config: Option<Map<String, Value>>,
    credentials: Map<String, Value>,
    #[serde(default)]
    auth_scheme: Option<String>,
}

/// The credential field names, never their values.
fn redacted(creds: Option<&Map<String, Value>>) -> Option<Vec<String>> {
    creds.map(|c| c.keys().map(|k| format!("{k}=<redacted>")).collect())
}

impl std::fmt::Debug for CreateAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateAccount")
            .field("connection_name", &self.connection_name)
            .field("identifier", &self.identifier)
            .field("config", &self.config)
            .field("credentials", &redacted(self.credentials.as_ref()))
            .field("auth_scheme", &self.auth_scheme)
            .finish()
    }
}

impl std::fmt::Debug for PutCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PutCredentials")
            .field("config", &self.config)
            .field("credentials", &redacted(Some(&self.credentials)))
            .field("auth_scheme", &self.auth_scheme)
            .finish()
    }
}

/// Get-or-create; with credentials, also verifies and stores them (account becomes ACTIVE).
#[utoipa::path(post, path = "/v1/connected_accounts", operation_id = "create_connected_account", tag = "accounts", security(("api_key" = [])),
    request_body = CreateAccount,
    responses((status = 200, description = "The account", body = AccountView),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Unknown connection", body = ErrorBody)))]
pub async fn create(
    State(tw): State<Toolwire>,
    JsonBody(req): JsonBody<CreateAccount>,
) -> Result<Json<AccountView>> {
    // The identifier is checked by the runtime (`toolwire_runtime::identifier`).
    let accounts = tw.accounts();
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
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody)))]
pub async fn get(
    State(tw): State<Toolwire>,
    Path((conn, ident)): Path<(String, String)>,
) -> Result<Json<AccountView>> {
    Ok(Json(require(&tw, &conn, &ident).await?.into()))
}

/// Replaces credentials (config defaults to the account's current config).
#[utoipa::path(put, path = "/v1/connected_accounts/{connection_name}/{identifier}/credentials", operation_id = "put_credentials",
    tag = "accounts", security(("api_key" = [])), params(("connection_name" = String, Path, description = "Connection, e.g. `zendesk`"),
        ("identifier" = String, Path, description = "The host app's id for its user or customer")), request_body = PutCredentials,
    responses((status = 200, description = "The account (ACTIVE once verified)", body = AccountView),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody)))]
pub async fn put_credentials(
    State(tw): State<Toolwire>,
    Path((conn, ident)): Path<(String, String)>,
    JsonBody(req): JsonBody<PutCredentials>,
) -> Result<Json<AccountView>> {
    let current = require(&tw, &conn, &ident).await?;
    let config = req.config.unwrap_or(current.config);
    let record = tw
        .accounts()
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
    responses((status = 200, description = "Deleted", body = Deleted),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody)))]
pub async fn delete(
    State(tw): State<Toolwire>,
    Path((conn, ident)): Path<(String, String)>,
) -> Result<Json<Deleted>> {
    if tw.accounts().delete(&conn, &ident).await? {
        Ok(Json(Deleted {
            deleted: true,
            connection_name: conn,
            identifier: ident,
        }))
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
    responses((status = 200, description = "A page of accounts", body = AccountList),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),))]
pub async fn list(
    State(tw): State<Toolwire>,
    Query(q): Query<ListQuery>,
) -> Result<Json<AccountList>> {
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
    let page = tw
        .accounts()
        .list(
            &filter,
            q.page_token.as_deref().filter(|t| !t.is_empty()),
            limit,
        )
        .await?;
    Ok(Json(AccountList {
        connected_accounts: page.accounts.into_iter().map(Into::into).collect(),
        next_page_token: page.next_page_token,
    }))
}

/// Status history, oldest first.
#[utoipa::path(get, path = "/v1/connected_accounts/{connection_name}/{identifier}/history", operation_id = "account_history",
    tag = "accounts", security(("api_key" = [])), params(("connection_name" = String, Path, description = "Connection, e.g. `zendesk`"),
        ("identifier" = String, Path, description = "The host app's id for its user or customer")),
    responses((status = 200, description = "Status changes, oldest first", body = History),
        (status = 400, description = "Invalid request", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),))]
pub async fn history(
    State(tw): State<Toolwire>,
    Path((conn, ident)): Path<(String, String)>,
) -> Result<Json<History>> {
    let entries = tw.accounts().history(&conn, &ident).await?;
    Ok(Json(History {
        connection_name: conn,
        identifier: ident,
        history: entries.into_iter().map(Into::into).collect(),
    }))
}

async fn require(tw: &Toolwire, conn: &str, ident: &str) -> Result<AccountRecord> {
    tw.accounts()
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

#[cfg(test)]
mod debug_tests {
    use super::*;

    #[test]
    fn request_bodies_debug_without_credentials() {
        let create: CreateAccount = serde_json::from_value(serde_json::json!({
            "connection_name": "c", "identifier": "i",
            "credentials": {"api_token": "canary-s3cret"}}))
        .unwrap();
        let put: PutCredentials = serde_json::from_value(
            serde_json::json!({"credentials": {"api_token": "canary-s3cret"}}),
        )
        .unwrap();
        for shown in [format!("{create:?}"), format!("{put:?}")] {
            assert!(
                !shown.contains("canary") && shown.contains("api_token"),
                "{shown}"
            );
        }
    }
}
