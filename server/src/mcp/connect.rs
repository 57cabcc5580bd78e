//! The `toolwire_connect_account` tool an end user's client sees (requests made with an
//! access token) while some connection its scope reaches is not connected yet: it answers a
//! single-use onboarding link for the user to open. Credentials are entered on that page,
//! never passed through the client or the model.

use std::sync::Arc;

use rmcp::model::{CallToolResult, ContentBlock, Tool, ToolAnnotations};
use serde_json::{Map, Value, json};
use toolwire_runtime::Toolwire;

use crate::ui::UiState;

/// The tool's name.
pub const TOOL: &str = "toolwire_connect_account";

/// The tool, offering `connections` (not connected yet).
pub fn tool(connections: &[String]) -> Tool {
    let schema = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["connection_name"],
        "properties": {"connection_name": {
            "type": "string",
            "enum": connections,
            "description": "The connection to connect (the user's account there)."
        }}
    });
    let Value::Object(schema) = schema else {
        unreachable!("a JSON object literal")
    };
    Tool::new(
        TOOL,
        format!(
            "Get a link for the user to connect their account of one of: {}. The user opens it \
             in a browser and signs in there; never ask the user for passwords or tokens.",
            connections.join(", ")
        ),
        Arc::new(schema),
    )
    .annotate(
        ToolAnnotations::new()
            .read_only(false)
            .destructive(false)
            .idempotent(true)
            .open_world(false),
    )
}

/// A fresh onboarding link for (`connection`, `identifier`) as a tool result (an `isError`
/// result when the UI is off or the connection is not one of `offered`).
pub async fn call(
    tw: &Toolwire,
    ui: Option<&UiState>,
    identifier: &str,
    offered: &[String],
    arguments: &Map<String, Value>,
) -> CallToolResult {
    let error = |t: String| CallToolResult::error(vec![ContentBlock::text(t)]);
    let Some(connection) = arguments.get("connection_name").and_then(Value::as_str) else {
        return error("INVALID_INPUT: connection_name is required".into());
    };
    if !offered.iter().any(|c| c == connection) {
        return error(format!(
            "INVALID_INPUT: connection_name must be one of {offered:?}"
        ));
    }
    let Some(ui) = ui else {
        return error("UI_DISABLED: onboarding links are off on this server".into());
    };
    match link(tw, ui, connection, identifier).await {
        Ok(link) => CallToolResult::success(vec![ContentBlock::text(format!(
            "Ask the user to open {} to connect their {connection} account (the link works \
             once, until {}). Then call the tool again.",
            link.url, link.expires_at
        ))]),
        Err(e) => error(super::tools::error_text(&e)),
    }
}

/// The answer to a call of `tool` whose connection `identifier` has not connected: the
/// runtime's `ACCOUNT_NOT_FOUND` with a fresh onboarding link instead of a dead end.
pub async fn not_connected(
    tw: &Toolwire,
    ui: &UiState,
    identifier: &str,
    connection: &str,
    tool: &str,
) -> CallToolResult {
    let text = match link(tw, ui, connection, identifier).await {
        Ok(link) => format!(
            "ACCOUNT_NOT_FOUND: no {connection} account is connected for this user yet. Ask the \
             user to open {} to connect it (credentials are entered on that page, never here), \
             then call {tool} again.",
            link.url
        ),
        Err(e) => super::tools::error_text(&e),
    };
    CallToolResult::error(vec![ContentBlock::text(text)])
}

/// A single-use onboarding link (the account is created as PENDING_AUTH if new, as
/// `POST .../magic_link` does).
pub async fn link(
    tw: &Toolwire,
    ui: &UiState,
    connection: &str,
    identifier: &str,
) -> Result<crate::links::MagicLink, toolwire_runtime::Error> {
    tw.accounts().get_or_create(connection, identifier).await?;
    Ok(ui
        .links
        .mint(connection, identifier, crate::links::DEFAULT_TTL))
}
