//! Before any request: a tool that declares its own credential (`credential: {token, scope}`)
//! can only run on an account holding that token, and, for OAuth accounts, one granted the
//! tool's scopes as listed in the declared scope field. Otherwise the call fails at once with
//! an actionable error (reconnect granting them), without a network call.

use toolwire_spec::{AuthScheme, ToolSpec};

use crate::error::{Error, Result};
use crate::vault::Credentials;

/// Checks `tool`'s declared credential against the account's `creds`.
pub(super) fn check(tool: &ToolSpec, scheme: &AuthScheme, creds: &Credentials) -> Result<()> {
    let Some(cred) = &tool.credential else {
        return Ok(());
    };
    let scopes = || {
        if tool.scopes.is_empty() {
            "its scopes".to_string()
        } else {
            tool.scopes.join(", ")
        }
    };
    if creds.expose_field(&cred.token).is_none_or(str::is_empty) {
        return Err(Error::ScopeNotGranted {
            tool: tool.name.clone(),
            missing: format!(
                "{} on a `{}` token (this connection has none: connect with OAuth granting them)",
                scopes(),
                cred.token
            ),
        });
    }
    let Some(field) = cred.scope.as_deref().filter(|_| scheme.is_oauth()) else {
        return Ok(());
    };
    let granted: Vec<&str> = creds
        .expose_field(field)
        .unwrap_or_default()
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .collect();
    let missing: Vec<&str> = tool
        .scopes
        .iter()
        .map(String::as_str)
        .filter(|s| !granted.contains(s))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::ScopeNotGranted {
        tool: tool.name.clone(),
        missing: format!("{} on its `{}` token", missing.join(", "), cred.token),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> toolwire_spec::ConnectorSpec {
        crate::testing::chat_spec()
    }

    #[test]
    fn a_tool_needing_a_token_the_account_lacks_fails_naming_it() {
        let spec = spec();
        let tool = spec.tool("chat_search_messages").unwrap();
        let bot_only = Credentials::from_fields([("token", "xoxb-1")]);
        let err = check(tool, &spec.auth["bot_token"], &bot_only).unwrap_err();
        assert_eq!(err.code(), "SCOPE_NOT_GRANTED");
        let text = err.to_string();
        assert!(
            text.contains("search:read") && text.contains("user_token"),
            "{text}"
        );
        assert!(text.contains("reconnect"), "{text}");
    }

    #[test]
    fn the_declared_scope_field_decides_for_oauth_accounts() {
        let spec = spec();
        let tool = spec.tool("chat_search_messages").unwrap();
        let oauth = &spec.auth["oauth2"];
        let without = Credentials::from_fields([
            ("access_token", "xoxb-1"),
            ("user_token", "xoxp-1"),
            ("user_scope", "chat:write"),
        ]);
        let err = check(tool, oauth, &without).unwrap_err();
        assert!(err.to_string().contains("search:read"), "{err}");
        let with = Credentials::from_fields([
            ("access_token", "xoxb-1"),
            ("user_token", "xoxp-1"),
            ("user_scope", "chat:write,search:read"),
        ]);
        check(tool, oauth, &with).unwrap();
        // Tools without a declared credential are not this check's business.
        let list = spec.tool("chat_users_list").unwrap();
        check(
            list,
            oauth,
            &Credentials::from_fields([("access_token", "x")]),
        )
        .unwrap();
    }
}
