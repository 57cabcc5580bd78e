//! HTML responses: [`Page`] (a rendered template with status, cookies and CSP) and
//! [`PageError`] (any [`ServerError`] as an error page with its stable code). Error pages
//! show the error's own message (runtime messages never carry secrets); server faults show a
//! generic text and are logged.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use toolwire_runtime::error::{ErrorKind, UpstreamErrorCode};

use super::templates;
use crate::error::ServerError;
use crate::links::LinkError;

/// A rendered page.
pub struct Page {
    status: StatusCode,
    html: String,
    csp: Option<String>,
    cookies: Vec<String>,
    location: Option<String>,
}

impl Page {
    /// `template` rendered with `ctx`, status 200.
    pub fn render(template: &str, ctx: &serde_json::Value) -> Self {
        Page {
            status: StatusCode::OK,
            html: templates::render(template, ctx),
            csp: None,
            cookies: Vec::new(),
            location: None,
        }
    }

    /// A 303 See Other to `location`.
    pub fn redirect(location: String) -> Self {
        Page {
            status: StatusCode::SEE_OTHER,
            html: String::new(),
            csp: None,
            cookies: Vec::new(),
            location: Some(location),
        }
    }

    /// With this status.
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// With this Content-Security-Policy instead of the default.
    pub fn csp(mut self, csp: String) -> Self {
        self.csp = Some(csp);
        self
    }

    /// Adds a `Set-Cookie` header.
    pub fn cookie(mut self, cookie: Option<String>) -> Self {
        self.cookies.extend(cookie);
        self
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let mut res = (self.status, self.html).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        if let Some(v) = self.csp.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
        if let Some(v) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            h.insert(header::LOCATION, v);
        }
        for c in self.cookies {
            if let Ok(v) = HeaderValue::from_str(&c) {
                h.append(header::SET_COOKIE, v);
            }
        }
        res
    }
}

/// An error shown as a page.
pub struct PageError {
    error: ServerError,
    retry_url: Option<String>,
}

/// Redacts the retry URL (it carries the magic-link token).
impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageError")
            .field("error", &self.error)
            .field("retry_url", &self.retry_url.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl PageError {
    /// Offers a "try again" link on the page.
    pub fn retry(mut self, url: Option<String>) -> Self {
        self.retry_url = url;
        self
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.error.code()
    }
}

impl<E: Into<ServerError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError {
            error: e.into(),
            retry_url: None,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.error.http_status();
        let message = if status.is_server_error() && !is_upstream(&self.error) {
            tracing::warn!(code = self.error.code(), error = %self.error, "UI request failed");
            "Something went wrong on our side. Try again in a moment; if it keeps happening, \
             contact the people who sent you this link."
                .to_string()
        } else {
            self.error.to_string()
        };
        let title = match &self.error {
            ServerError::Link(LinkError::Used) => "This link was already used",
            ServerError::Link(LinkError::Expired) => "This link has expired",
            ServerError::Link(LinkError::Invalid) => "This link is not valid",
            ServerError::Link(LinkError::Csrf) => "Please reload the page",
            ServerError::Link(LinkError::OAuthBrowser) => "Start again in this browser",
            ServerError::BodyTooLarge { .. } => "The form is too large",
            ServerError::Throttled { .. } => "Too many attempts",
            _ if status.is_server_error() => "Something went wrong",
            _ => "We could not complete this",
        };
        let retry_after = self.error.retry_after_s();
        let mut res = Page::render(
            "error",
            &json!({
                "title": title,
                "message": message,
                "code": self.error.code(),
                "retry_url": self.retry_url,
            }),
        )
        .status(status)
        .into_response();
        if let Some(v) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

/// Whether a runtime failure is the vendor's API failing or unreachable (its message is shown)
/// rather than ours; every kind is decided here.
fn is_upstream(e: &ServerError) -> bool {
    let ServerError::Runtime(r) = e else {
        return false;
    };
    match r.kind() {
        ErrorKind::Upstream(code) => match code {
            UpstreamErrorCode::UpstreamValidation
            | UpstreamErrorCode::UpstreamBadRequest
            | UpstreamErrorCode::UpstreamUnavailable
            | UpstreamErrorCode::UpstreamError => true,
            UpstreamErrorCode::AccountRevoked
            | UpstreamErrorCode::AccountExpired
            | UpstreamErrorCode::AccountRestricted
            | UpstreamErrorCode::Forbidden
            | UpstreamErrorCode::NotFound
            | UpstreamErrorCode::Conflict
            | UpstreamErrorCode::RateLimited
            | UpstreamErrorCode::QuotaExceeded => false,
        },
        ErrorKind::UpstreamAuthFailed | ErrorKind::Timeout | ErrorKind::Unreachable => true,
        ErrorKind::InvalidInput
        | ErrorKind::NotFound
        | ErrorKind::AccountUnusable
        | ErrorKind::Authorization
        | ErrorKind::ScopeNotGranted
        | ErrorKind::Conflict
        | ErrorKind::SpecMismatch
        | ErrorKind::SpecInvalid
        | ErrorKind::OutcomeUnknown
        | ErrorKind::Vault
        | ErrorKind::Store
        | ErrorKind::Internal => false,
    }
}

/// The UI's stylesheet.
#[utoipa::path(get, path = "/ui/style.css", tag = "ui",
    responses((status = 200, description = "CSS", content_type = "text/css", body = String)))]
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        templates::STYLE,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_retry_url() {
        let e = PageError::from(crate::links::LinkError::Used)
            .retry(Some("/connect/canary-token".into()));
        let shown = format!("{e:?}");
        assert!(!shown.contains("canary"), "{shown}");
    }

    #[tokio::test]
    async fn a_missing_scope_is_shown_with_its_message() {
        let e = PageError::from(toolwire_runtime::Error::ScopeNotGranted {
            tool: "some_tool".into(),
            missing: "tickets:write".into(),
        });
        let res = e.into_response();
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        let html = String::from_utf8_lossy(&body);
        assert!(
            html.contains("tickets:write") && !html.contains("Something went wrong"),
            "{html}"
        );
    }
}
