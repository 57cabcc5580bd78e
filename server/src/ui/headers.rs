//! Security headers on every UI response: a strict CSP (no scripts at all, styles only from
//! `/ui/style.css`, forms only to this origin — plus the OAuth hosts on connect pages, which
//! set their own CSP), no framing, no referrer, no caching (except the stylesheet), no MIME
//! sniffing.

use axum::http::{HeaderValue, header};
use axum::response::Response;

/// The CSP for pages whose forms may lead (through a redirect) to `extra_form_targets`.
pub fn csp(extra_form_targets: &[String]) -> String {
    let mut form_action = String::from("'self'");
    for t in extra_form_targets {
        form_action.push(' ');
        form_action.push_str(t);
    }
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action {form_action}; \
         frame-ancestors 'none'; base-uri 'none'"
    )
}

/// Adds the headers (a CSP already set by the handler is kept).
pub async fn secure(mut res: Response) -> Response {
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(v) = HeaderValue::from_str(&csp(&[]))
    {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// `form-action` sources for a connector's OAuth authorize URL template: its scheme and host,
/// with a templated leftmost label as `*` (`https://*.zendesk.com`).
pub fn oauth_form_target(authorize_url: &str) -> Option<String> {
    let (scheme, rest) = authorize_url.split_once("://")?;
    let mut rest = rest.to_string();
    while let Some(start) = rest.find("{{") {
        let end = rest[start..].find("}}")? + start + 2;
        rest.replace_range(start..end, "{}");
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let mut labels: Vec<&str> = host.split('.').collect();
    if labels.first().is_some_and(|l| *l == "{}") {
        labels[0] = "*";
    }
    let clean = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '*' | ':');
    let host = labels.join(".");
    if labels.iter().skip(1).any(|l| l.contains('{')) || !host.chars().all(clean) {
        return None;
    }
    matches!(scheme, "https" | "http").then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_targets_from_templates() {
        assert_eq!(
            oauth_form_target("https://{{config.subdomain}}.zendesk.com/oauth/authorizations/new")
                .as_deref(),
            Some("https://*.zendesk.com")
        );
        assert_eq!(
            oauth_form_target("https://login.example.com/authorize").as_deref(),
            Some("https://login.example.com")
        );
        assert_eq!(
            oauth_form_target("https://x.{{config.region}}.example.com/a"),
            None
        );
        assert!(
            csp(&["https://*.zendesk.com".into()])
                .contains("form-action 'self' https://*.zendesk.com;")
        );
    }
}
