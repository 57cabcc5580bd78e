//! [`LinkError`]: why a magic link, a form's CSRF token, an OAuth binding or an admin session
//! was refused, with its stable code and HTTP status.

/// Why a link, form or session was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Malformed or with a wrong signature (edited, truncated or issued elsewhere).
    #[error(
        "this link is not valid: it was changed, cut short or not issued by this server; ask for a new link"
    )]
    Invalid,
    /// Past its expiry.
    #[error("this link has expired; ask for a new link")]
    Expired,
    /// Already used (the account's credentials were saved after it was issued).
    #[error(
        "this link was already used; the account was connected with it. Ask for a new link to change the credentials"
    )]
    Used,
    /// The form's CSRF token is missing or does not match this browser and link.
    #[error(
        "this form was not sent from the page it belongs to (or the page is too old); open the link again and resubmit"
    )]
    Csrf,
    /// The server has no public URL / link secret (onboarding UI disabled).
    #[error("the onboarding UI is not enabled on this server (start it with `toolwire serve`)")]
    Disabled,
    /// The OAuth callback came to a browser that did not start the authorization (no or a
    /// wrong binding cookie: RFC 9700 §4.7); nothing was exchanged or saved.
    #[error(
        "this authorization was started in another browser (or its cookie was lost); nothing was saved. Open your link again in this browser and connect from there"
    )]
    OAuthBrowser,
}

impl LinkError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            LinkError::Invalid => "LINK_INVALID",
            LinkError::Expired => "LINK_EXPIRED",
            LinkError::Used => "LINK_USED",
            LinkError::Csrf => "CSRF_FAILED",
            LinkError::Disabled => "UI_DISABLED",
            LinkError::OAuthBrowser => "OAUTH_BROWSER_MISMATCH",
        }
    }

    /// The HTTP status.
    pub fn http_status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            LinkError::Invalid => StatusCode::BAD_REQUEST,
            LinkError::Expired | LinkError::Used => StatusCode::GONE,
            LinkError::Csrf | LinkError::OAuthBrowser => StatusCode::FORBIDDEN,
            LinkError::Disabled => StatusCode::NOT_FOUND,
        }
    }
}
