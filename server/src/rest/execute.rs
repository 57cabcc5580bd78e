//! `POST /v1/execute_tool`: runs one tool for one identifier →
//! `{data, execution_id, next_cursor?, has_more}` or a typed error.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Map, Value};
use toolwire_runtime::ToolOutput;

use super::AppState;
use super::body::JsonBody;
use crate::error::Result;

/// Request body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecuteTool {
    identifier: String,
    tool_name: String,
    #[serde(default)]
    tool_input: Option<Value>,
    #[serde(default)]
    connection_name: Option<String>,
}

/// Runs the tool through the runtime (input validated before any network call).
#[utoipa::path(post, path = "/v1/execute_tool", operation_id = "execute_tool", tag = "tools", security(("api_key" = [])),
    request_body = ExecuteTool,
    responses((status = 200, description = "The tool's output", body = super::openapi::ExecuteResult),
        (status = 400, description = "INVALID_INPUT (every bad field in details), INVALID_JSON, ...", body = super::openapi::ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = super::openapi::ErrorBody),
        (status = 404, description = "UNKNOWN_TOOL, ACCOUNT_NOT_FOUND, NOT_FOUND", body = super::openapi::ErrorBody),
        (status = 409, description = "ACCOUNT_REVOKED / ACCOUNT_* (reconnect_url says where)", body = super::openapi::ErrorBody),
        (status = 429, description = "RATE_LIMITED (retry_after_s)", body = super::openapi::ErrorBody),
        (status = 502, description = "Upstream failure", body = super::openapi::ErrorBody)))]
pub async fn execute(
    State(s): State<AppState>,
    JsonBody(req): JsonBody<ExecuteTool>,
) -> Result<Json<ToolOutput>> {
    // The identifier is checked by the runtime (`toolwire_runtime::identifier`).
    let input = req.tool_input.unwrap_or_else(|| Value::Object(Map::new()));
    let out = crate::metrics::instrument(
        &s.tw,
        "rest",
        req.connection_name.as_deref(),
        &req.identifier,
        &req.tool_name,
        input,
    )
    .await?;
    // Serialised straight from the output (no intermediate `Value`: the data is not copied).
    Ok(Json(out))
}
