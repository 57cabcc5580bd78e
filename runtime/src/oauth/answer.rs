//! What a token endpoint's answer becomes: the stored credential fields and account config
//! values, each read at the JSON pointer the scheme's `token_response` declares (the standard
//! RFC 6749 fields at the top level when it declares none). A refresh answer that leaves a
//! field out keeps the stored one (RFC 6749 §6: an omitted scope or refresh token is unchanged;
//! a second token the refresh does not cover stays as it was).

use serde_json::{Map, Value};
use toolwire_spec::{AuthScheme, TokenResponseMap};

use crate::vault::Credentials;

/// The stored form of a token answer (its `Debug` redacts the credentials).
#[derive(Debug)]
pub(crate) struct TokenAnswer {
    /// The credential fields to seal.
    pub creds: Credentials,
    /// Account config values the answer carries (not yet validated).
    pub config: Map<String, Value>,
}

/// The scheme's mapping, or the standard one.
pub(crate) fn mapping(scheme: &AuthScheme) -> TokenResponseMap {
    match scheme {
        AuthScheme::Oauth2AuthorizationCode {
            token_response: Some(map),
            ..
        } => (**map).clone(),
        _ => TokenResponseMap::standard(),
    }
}

/// Reads `json` by `map`; `previous`: the stored credentials a refresh replaces. Errs with
/// what is missing (never a value).
pub(crate) fn read(
    json: &Value,
    map: &TokenResponseMap,
    previous: Option<&Credentials>,
    now: i64,
) -> Result<TokenAnswer, String> {
    let text = |pointer: &String| {
        json.pointer(pointer)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let access_pointer = map
        .credentials
        .get("access_token")
        .map(String::as_str)
        .unwrap_or("/access_token");
    let Some(access) = json
        .pointer(access_pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    else {
        return Err(format!(
            "the token endpoint returned no access token at `{access_pointer}`"
        ));
    };
    let mut fields = Map::new();
    fields.insert("access_token".into(), Value::String(access.into()));
    for (field, pointer) in &map.credentials {
        match field.as_str() {
            "access_token" => {}
            "expires_in" => {
                let seconds = json.pointer(pointer).and_then(|v| {
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                });
                if let Some(s) = seconds.filter(|s| *s > 0) {
                    fields.insert("expires_at".into(), Value::from(now + s));
                }
            }
            _ => {
                let value = text(pointer)
                    .or_else(|| previous.and_then(|p| p.expose_field(field)))
                    .filter(|s| !s.is_empty());
                if let Some(v) = value {
                    fields.insert(field.clone(), Value::String(v.into()));
                }
            }
        }
    }
    let config = map
        .config
        .iter()
        .filter_map(|(field, pointer)| {
            json.pointer(pointer)
                .and_then(Value::as_str)
                .map(|v| (field.clone(), Value::String(v.into())))
        })
        .collect();
    Ok(TokenAnswer {
        creds: Credentials::new(fields),
        config,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chat_map() -> TokenResponseMap {
        mapping(&crate::testing::chat_spec().auth["oauth2"])
    }

    #[test]
    fn nested_tokens_and_config_are_read_where_the_spec_says() {
        // Shaped like an answer with a bot token, a nested user token and the team.
        let answer = json!({
            "access_token": "bot-token-1",
            "app_id": "A0KRD7HC3",
            "authed_user": {"access_token": "xoxp-1234", "id": "U1234", "scope": "chat:write", "token_type": "user"},
            "bot_user_id": "U0KRQLJ9H", "ok": true, "scope": "commands,incoming-webhook",
            "team": {"id": "T9TK3CUKW", "name": "Softball Team"}, "token_type": "bot"
        });
        let got = read(&answer, &chat_map(), None, 1_000).unwrap();
        let c = &got.creds;
        assert_eq!(c.expose_field("access_token"), Some("bot-token-1"));
        assert_eq!(c.expose_field("user_token"), Some("xoxp-1234"));
        assert_eq!(c.expose_field("user_scope"), Some("chat:write"));
        assert_eq!(c.expose_field("scope"), Some("commands,incoming-webhook"));
        assert_eq!(c.expose_value("expires_at"), None);
        assert_eq!(
            got.config,
            json!({"team_id": "T9TK3CUKW"})
                .as_object()
                .cloned()
                .unwrap()
        );
    }

    #[test]
    fn a_rotating_refresh_replaces_tokens_and_keeps_what_it_leaves_out() {
        let before = Credentials::from_fields([
            ("access_token", "xoxe.xoxb-old"),
            ("refresh_token", "xoxe-1-old"),
            ("user_token", "xoxp-1234"),
            ("scope", "chat:write"),
        ]);
        let answer = json!({"ok": true, "access_token": "xoxe.xoxb-new", "refresh_token": "xoxe-1-new",
            "expires_in": 43200, "token_type": "bot"});
        let got = read(&answer, &chat_map(), Some(&before), 1_000).unwrap();
        let c = &got.creds;
        assert_eq!(c.expose_field("access_token"), Some("xoxe.xoxb-new"));
        assert_eq!(c.expose_field("refresh_token"), Some("xoxe-1-new"));
        assert_eq!(c.expose_value("expires_at"), Some(&json!(44_200)));
        assert_eq!(c.expose_field("user_token"), Some("xoxp-1234"));
        assert_eq!(c.expose_field("scope"), Some("chat:write"));
    }

    #[test]
    fn a_refresh_answer_without_a_refresh_token_keeps_the_stored_one() {
        // A non-rotating refresh (`refresh: reusable`): the answer repeats the account's
        // address but has no refresh token and no expires_in.
        let map = TokenResponseMap {
            credentials: [
                ("access_token", "/access_token"),
                ("refresh_token", "/refresh_token"),
                ("scope", "/scope"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            config: [("instance_url".to_string(), "/instance_url".to_string())]
                .into_iter()
                .collect(),
        };
        let before = Credentials::from_fields([
            ("access_token", "old-access"),
            ("refresh_token", "long-lived-refresh"),
            ("scope", "api refresh_token"),
        ]);
        let answer = json!({"access_token": "new-access", "instance_url": "https://acme.example.com",
            "issued_at": "1278448832702", "token_type": "Bearer"});
        let got = read(&answer, &map, Some(&before), 1_000).unwrap();
        assert_eq!(got.creds.expose_field("access_token"), Some("new-access"));
        assert_eq!(
            got.creds.expose_field("refresh_token"),
            Some("long-lived-refresh")
        );
        assert_eq!(got.creds.expose_field("scope"), Some("api refresh_token"));
        assert_eq!(got.creds.expose_value("expires_at"), None);
        assert_eq!(
            got.config.get("instance_url"),
            Some(&json!("https://acme.example.com"))
        );
    }

    #[test]
    fn no_access_token_is_an_error_naming_the_pointer() {
        let err = read(&json!({"ok": true}), &chat_map(), None, 0).unwrap_err();
        assert!(err.contains("/access_token"), "{err}");
        let standard = read(
            &json!({"access_token": "a", "expires_in": 60, "scope": "read write"}),
            &TokenResponseMap::standard(),
            None,
            10,
        )
        .unwrap();
        assert_eq!(standard.creds.expose_value("expires_at"), Some(&json!(70)));
        assert!(standard.config.is_empty());
    }
}
