//! A tool call's result: the selected response data and its next page cursor.

use serde::Serialize;
use serde_json::Value;
use toolwire_spec::{Pagination, ToolSpec};
use uuid::Uuid;

/// The result of a tool call.
#[derive(Debug, Clone, Serialize)]
pub struct ToolOutput {
    /// The selected response data.
    pub data: Value,
    /// Unique id of this execution (also in the audit log).
    pub execution_id: Uuid,
    /// Pass back as the tool's page/cursor input to get the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Whether more pages exist.
    pub has_more: bool,
}

/// The output of `tool` from its response `body` (`input`: the call's input, for the page).
pub(crate) fn output(
    tool: &ToolSpec,
    mut body: Value,
    input: &Value,
    execution_id: Uuid,
) -> ToolOutput {
    let (next_cursor, has_more) = match &tool.pagination {
        // The cursor comes from the response headers (`paging.rs`).
        Pagination::None | Pagination::LinkHeader { .. } => (None, false),
        Pagination::Offset {
            page_input, next, ..
        } => {
            let more = body.pointer(next).is_some_and(|v| !v.is_null());
            let page = input.get(page_input).and_then(Value::as_u64).unwrap_or(1);
            (more.then(|| (page + 1).to_string()), more)
        }
        Pagination::Cursor {
            next_cursor,
            has_more,
            ..
        } => {
            // An empty cursor, like a missing one, means the last page.
            let cursor = body
                .pointer(next_cursor)
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
                .map(str::to_string);
            let more = match has_more {
                Some(p) => body.pointer(p).and_then(Value::as_bool).unwrap_or(false),
                None => cursor.is_some(),
            };
            (if more { cursor } else { None }, more)
        }
        Pagination::NextUrl { next_url, done, .. } => {
            let last = done
                .as_ref()
                .is_some_and(|d| body.pointer(d).and_then(Value::as_bool) == Some(true));
            let next = body
                .pointer(next_url)
                .and_then(Value::as_str)
                .filter(|u| !u.is_empty() && !last)
                .map(str::to_string);
            let more = next.is_some();
            (next, more)
        }
        Pagination::Relay { page_info, .. } => toolwire_spec::relay_page(&body, page_info),
    };
    let data = match &tool.response.select {
        Some(sel) => sel.take_from(&mut body),
        None => body,
    };
    ToolOutput {
        data,
        execution_id,
        next_cursor,
        has_more,
    }
}
