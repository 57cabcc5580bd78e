//! Connecting an account inside the conversation: URL-mode elicitation. When a tool needs an
//! account that is missing, REVOKED or EXPIRED, a client that declared the
//! `elicitation: {url: {}}` capability is asked to open the onboarding page — the single-use
//! link for that identifier and connection. The user enters credentials on that page, never
//! through the client or the model; then the same call succeeds. How it is asked depends on
//! the protocol revision of the request:
//!
//! - **2026-07-28** (stateless, no `initialize`): the call answers an `InputRequiredResult`
//!   (SEP-2322) whose `inputRequests` hold one `elicitation/create` in URL mode; the client
//!   opens the page and retries the call with its `inputResponses`. The retry runs the tool
//!   once the account is connected, asks again if it is not, and answers the text result
//!   with the link if the user declined. (`-32042` is retired in this revision.)
//! - **2025-11-25**: JSON-RPC error `-32042` (`URLElicitationRequiredError`) whose
//!   `data.elicitations` holds one `{mode: "url", elicitationId, url, message}`; the client
//!   retries the call itself.
//! - A client that did not declare the capability gets today's text result with the link.
//!
//! **Which clients declared it.** `/mcp` is stateless (no sessions), so what a client declared
//! at `initialize` is not remembered for later requests (and remembering it per token would
//! guess: one token can serve several clients). The server reads the capabilities the request
//! itself carries: its `_meta` `io.modelcontextprotocol/clientCapabilities` (required on every
//! request of 2026-07-28, SEP-2575), or — on stdio, a real session — what the client declared
//! at `initialize`. A 2025-11-25 client over HTTP therefore gets the text fallback: the spec
//! lets a server send `-32042` only to a client that declared URL mode, and a stateless server
//! cannot know that it did.
//!
//! **No completion notice.** `notifications/elicitation/complete` needs a stream open to the
//! client after the user finishes; stateless `/mcp` keeps none, so the client learns that the
//! account is connected by retrying (which both revisions' flows do).

use std::collections::BTreeMap;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, ElicitRequest, ElicitRequestParams, ErrorCode,
    InputRequest, InputRequiredResult, ProtocolVersion,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer};
use serde_json::{Value, json};

/// The JSON-RPC error code of `URLElicitationRequiredError` (2025-11-25).
pub const URL_ELICITATION_REQUIRED: ErrorCode = ErrorCode(-32042);

/// The key of the one input request an `InputRequiredResult` carries (2026-07-28).
pub const INPUT_KEY: &str = "connect_account";

/// How this request's client can be asked to open a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// An `InputRequiredResult` with a URL-mode elicitation (2026-07-28).
    InputRequired,
    /// The `-32042` error (2025-11-25).
    Error,
    /// It cannot: the text result with the link.
    Text,
}

impl Ask {
    /// How `context`'s client can be asked (from the capabilities the request carries, or a
    /// stdio session's `initialize`), given the call `request` (a retry whose user declined
    /// is answered with text).
    pub fn of(context: &RequestContext<RoleServer>, request: &CallToolRequestParams) -> Ask {
        let accepts_url = context
            .client_capabilities()
            .and_then(|c| c.elicitation)
            .is_some_and(|e| e.url.is_some());
        if !accepts_url || declined(request) {
            return Ask::Text;
        }
        let stateless = context
            .protocol_version()
            .is_some_and(|v| v.as_str() >= ProtocolVersion::V_2026_07_28.as_str());
        if stateless {
            Ask::InputRequired
        } else {
            Ask::Error
        }
    }
}

/// Whether `request` is a retry whose user declined or cancelled the page.
fn declined(request: &CallToolRequestParams) -> bool {
    request
        .input_responses
        .as_ref()
        .and_then(|r| r.get(INPUT_KEY))
        .and_then(|r| r.get("action"))
        .and_then(Value::as_str)
        .is_some_and(|action| action != "accept")
}

/// What asks the client to open `url` (the onboarding page of `connection`) before `tool`
/// runs: an `InputRequiredResult` for [`Ask::InputRequired`], else the `-32042` error.
pub fn connect_required(
    ask: Ask,
    url: &str,
    connection: &str,
    tool: &str,
    why: &str,
) -> Result<CallToolResponse, ErrorData> {
    let message = format!(
        "{why} Open this page to connect your {connection} account (credentials are entered \
         there, never in this chat); then {tool} runs."
    );
    let elicitation_id = uuid::Uuid::new_v4().to_string();
    if ask == Ask::InputRequired {
        let request = ElicitRequest::new(ElicitRequestParams::UrlElicitationParams {
            meta: None,
            message,
            url: url.to_string(),
            elicitation_id,
        });
        let requests =
            BTreeMap::from([(INPUT_KEY.to_string(), InputRequest::Elicitation(request))]);
        return Ok(InputRequiredResult::from_input_requests(requests).into());
    }
    Err(ErrorData::new(
        URL_ELICITATION_REQUIRED,
        format!("{tool} needs a connected {connection} account"),
        Some(json!({"elicitations": [{
            "mode": "url",
            "elicitationId": elicitation_id,
            "url": url,
            "message": message,
        }]})),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2025_11_25_error_has_the_spec_shape() {
        let Err(e) = connect_required(
            Ask::Error,
            "https://tw.example/connect/t",
            "notes",
            "notes_get",
            "No notes account is connected for this user yet.",
        ) else {
            panic!("2025-11-25 is asked with an error")
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], -32042);
        let only = &v["data"]["elicitations"][0];
        assert_eq!(only["mode"], "url");
        assert_eq!(only["url"], "https://tw.example/connect/t");
        assert!(
            only["elicitationId"]
                .as_str()
                .is_some_and(|s| s.len() == 36)
        );
        assert!(only["message"].as_str().unwrap().contains("notes"));
        assert_eq!(v["data"]["elicitations"].as_array().unwrap().len(), 1);
    }
}

#[cfg(test)]
mod input_required_tests {
    use super::*;

    #[test]
    fn the_2026_07_28_result_carries_one_url_elicitation() {
        let Ok(CallToolResponse::InputRequired(result)) = connect_required(
            Ask::InputRequired,
            "https://tw.example/connect/t",
            "notes",
            "notes_get",
            "why.",
        ) else {
            panic!("2026-07-28 is asked with an InputRequiredResult")
        };
        let v = serde_json::to_value(&result).unwrap();
        assert_eq!(v["resultType"], "input_required");
        let asked = &v["inputRequests"][INPUT_KEY];
        assert_eq!(asked["method"], "elicitation/create");
        assert_eq!(asked["params"]["mode"], "url");
        assert_eq!(asked["params"]["url"], "https://tw.example/connect/t");
    }

    #[test]
    fn a_declined_retry_is_answered_with_text() {
        let mut request = CallToolRequestParams::new("notes_get");
        assert!(!declined(&request));
        request.input_responses = Some(BTreeMap::from([(
            INPUT_KEY.to_string(),
            json!({"action": "decline"}),
        )]));
        assert!(declined(&request));
        request.input_responses = Some(BTreeMap::from([(
            INPUT_KEY.to_string(),
            json!({"action": "accept"}),
        )]));
        assert!(!declined(&request));
    }
}
