//! [`Reply`]: a handler's answer (status, JSON or text body, extra headers) and the Zendesk
//! error envelopes as constructors.

use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub enum ReplyBody {
    Json(Value),
    Text(String),
    Html(String),
    Empty,
}

/// A response before rate-limit headers are added.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: ReplyBody,
    pub headers: Vec<(String, String)>,
    /// List endpoints carry the extra `ratelimit-*` headers.
    pub list: bool,
}

/// What handlers return; both arms are sent to the client.
pub type Res = Result<Reply, Reply>;

impl Reply {
    pub fn json(status: u16, v: Value) -> Reply {
        Reply {
            status,
            body: ReplyBody::Json(v),
            headers: Vec::new(),
            list: false,
        }
    }

    pub fn ok(v: Value) -> Reply {
        Reply::json(200, v)
    }

    pub fn list(v: Value) -> Reply {
        Reply {
            list: true,
            ..Reply::json(200, v)
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: ReplyBody::Empty,
            headers: Vec::new(),
            list: false,
        }
    }

    pub fn text(status: u16, s: impl Into<String>) -> Reply {
        Reply {
            status,
            body: ReplyBody::Text(s.into()),
            headers: Vec::new(),
            list: false,
        }
    }

    pub fn header(mut self, k: &str, v: impl Into<String>) -> Reply {
        self.headers.push((k.to_string(), v.into()));
        self
    }
}

/// 401 for API-token / basic failures.
pub fn unauthorized() -> Reply {
    Reply::json(401, json!({"error": "Couldn't authenticate you"}))
        .header("www-authenticate", "Basic realm=\"Web Password\"")
}

/// 401 for bad, expired or revoked bearer tokens.
pub fn invalid_token() -> Reply {
    Reply::json(
        401,
        json!({"error": "invalid_token", "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons."}),
    )
    .header("www-authenticate", "Bearer realm=\"Web Password\", error=\"invalid_token\"")
}

/// 403 role/permission failure.
pub fn forbidden() -> Reply {
    Reply::json(
        403,
        json!({"error": {"title": "Forbidden", "message": "You do not have access to this page. Please contact the account owner of this help desk for further help."}}),
    )
}

/// 403 for an OAuth token without the needed scope.
pub fn missing_scope(scope: &str) -> Reply {
    Reply::json(
        403,
        json!({"error": "Forbidden", "description": format!("You are missing the following required scopes: {scope}")}),
    )
}

/// 403 for a request from outside the tenant's IP allowlist (exact body unknown; assumption).
pub fn ip_restricted() -> Reply {
    Reply::json(
        403,
        json!({"error": {"title": "Forbidden", "message": "You do not have access to this page. Please contact the account owner of this help desk for further help. (IP address not in the account's allowlist)"}}),
    )
}

pub fn not_found() -> Reply {
    Reply::json(
        404,
        json!({"error": "RecordNotFound", "description": "Not found"}),
    )
}

pub fn invalid_endpoint() -> Reply {
    Reply::json(
        404,
        json!({"error": "InvalidEndpoint", "description": "Not found"}),
    )
}

/// 422 RecordInvalid with one field error.
pub fn record_invalid(field: &str, description: &str, error: Option<&str>) -> Reply {
    let mut d = json!({"description": description});
    if let Some(e) = error {
        d["error"] = json!(e);
    }
    Reply::json(
        422,
        json!({"error": "RecordInvalid", "description": "Record validation errors", "details": {field: [d]}}),
    )
}

/// 400 for a body that is not JSON (or not an object where one is needed).
pub fn bad_json(msg: &str) -> Reply {
    Reply::json(
        400,
        json!({"error": "InvalidJSON", "description": format!("Unable to parse request body: {msg}")}),
    )
}

/// 400 for a missing top-level key, e.g. `ticket`.
pub fn param_missing(key: &str) -> Reply {
    Reply::json(
        400,
        json!({"error": "ParameterMissing", "description": format!("param is missing or the value is empty: {key}")}),
    )
}

pub fn invalid_pagination(msg: &str) -> Reply {
    Reply::json(
        400,
        json!({"errors": [{"code": "InvalidPaginationParameter", "title": "Invalid Pagination Parameter", "detail": msg, "status": "400"}]}),
    )
}

pub fn pagination_depth() -> Reply {
    Reply::json(
        400,
        json!({"errors": [{"code": "InvalidPaginationDepth", "title": "Invalid Pagination Depth", "detail": "Offset pagination is limited to 100 pages or 10,000 records; use cursor pagination (page[size]).", "status": "400"}]}),
    )
}

/// 429 plain text, as Zendesk sends it.
pub fn rate_limited(retry_after: u64, limit: u32) -> Reply {
    Reply::text(429, "Number of allowed API requests per minute exceeded")
        .header("retry-after", retry_after.to_string())
        .header("x-rate-limit", limit.to_string())
        .header("x-rate-limit-remaining", "0")
}

pub fn too_large(limit: usize) -> Reply {
    Reply::json(
        413,
        json!({"error": "RequestEntityTooLarge", "description": format!("Request body is larger than {limit} bytes")}),
    )
}
