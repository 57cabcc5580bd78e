//! `POST /v1/execute_tool`: runs one tool for one identifier →
//! `{data, execution_id, next_cursor?, has_more}` or a typed error.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use toolwire_runtime::{ToolOutput, Toolwire};
use tracing::Instrument as _;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Result;
use crate::telemetry;
use crate::web::{ErrorBody, JsonBody};

/// Request body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecuteTool {
    identifier: String,
    tool_name: String,
    #[serde(default)]
    tool_input: Option<Value>,
    #[serde(default)]
    connection_name: Option<String>,
    /// True for the tool's full output instead of its projection (the default output, sized
    /// for a model, is what `outputSchema` describes).
    #[serde(default)]
    full: bool,
    /// How `tool_input` is written: `json` (default; a `null` is sent as `null` for an input
    /// whose schema names null, to clear it) or `openai_strict` (the arguments of a model using
    /// the `format=openai` strict tools: a `null` leaves the input unset, and the inputs listed
    /// in `clear_fields` are cleared).
    #[serde(default)]
    input_form: InputForm,
}

/// The form of `tool_input`.
#[derive(Debug, Default, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InputForm {
    /// Ordinary JSON input.
    #[default]
    Json,
    /// OpenAI strict-mode arguments: `null` = unset, `clear_fields` lists inputs to clear.
    OpenaiStrict,
}

/// `POST /v1/execute_tool` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExecuteResult {
    /// The tool's output (its MCP `outputSchema`; the full output when `full` was asked).
    data: Value,
    /// The execution id (UUIDv7; also in the audit log).
    #[schema(value_type = String)]
    execution_id: Uuid,
    /// Pass back as the tool's page/cursor input for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
    /// Whether more results exist.
    has_more: bool,
}

// Moved out of the runtime's `ToolOutput` (the data is not copied).
impl From<ToolOutput> for ExecuteResult {
    fn from(out: ToolOutput) -> Self {
        ExecuteResult {
            data: out.data,
            execution_id: out.execution_id,
            next_cursor: out.next_cursor,
            has_more: out.has_more,
        }
    }
}

/// Runs the tool through the runtime (input validated before any network call).
#[utoipa::path(post, path = "/v1/execute_tool", operation_id = "execute_tool", tag = "tools", security(("api_key" = [])),
    request_body = ExecuteTool,
    responses((status = 200, description = "The tool's output", body = ExecuteResult),
        (status = 400, description = "INVALID_INPUT (every bad field in details), INVALID_JSON, ...", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "UNKNOWN_TOOL, ACCOUNT_NOT_FOUND, NOT_FOUND", body = ErrorBody),
        (status = 409, description = "ACCOUNT_REVOKED / ACCOUNT_* (reconnect_url says where)", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED (wait retry_after_s, then retry) or QUOTA_EXCEEDED (the vendor's quota for this account is spent: do not retry soon)", body = ErrorBody),
        (status = 502, description = "Upstream failure", body = ErrorBody)))]
pub async fn execute(
    State(tw): State<Toolwire>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<ExecuteTool>,
) -> Result<Json<ExecuteResult>> {
    // The identifier is checked by the runtime (`toolwire_runtime::identifier`).
    let input = req.tool_input.unwrap_or_else(|| Value::Object(Map::new()));
    let input = match req.input_form {
        InputForm::Json => input,
        InputForm::OpenaiStrict => tw
            .decode_openai_arguments(&req.tool_name, input)
            .map_err(crate::error::ServerError::from)?,
    };
    // A caller's `traceparent` header makes this call part of its trace.
    let span = telemetry::rest_span(telemetry::from_headers(&headers));
    let out = crate::metrics::instrument_with(
        &tw,
        "rest",
        req.connection_name.as_deref(),
        &req.identifier,
        &req.tool_name,
        input,
        req.full,
    )
    .instrument(span.clone())
    .await
    .map_err(crate::error::ServerError::from);
    telemetry::rest_answered(&span, &out);
    Ok(Json(out?.into()))
}
