//! `Accounts::import_credentials`, against the simulator over HTTPS: credentials verified
//! elsewhere are checked like `set_credentials` (identifier, scheme fields, config) and stored
//! ACTIVE without a live probe; wrong ones are caught by the first call that fails.

mod e2e;

use serde_json::json;
use toolwire_runtime::{AccountStatus, Credentials};

fn agent(env: &e2e::Env, sub: &str) -> (String, String) {
    let tenant = env.sim.tenant(sub).unwrap();
    let a = tenant
        .agents
        .iter()
        .find(|a| a.role == "agent")
        .unwrap_or(&tenant.agents[0]);
    (a.email.clone(), a.api_token.clone())
}

#[tokio::test]
async fn imported_credentials_are_active_without_a_call_and_work() {
    let env = e2e::env().await;
    let (email, token) = agent(&env, "acme");
    env.sim.clear_request_log();
    let record = env
        .tw
        .accounts()
        .import_credentials(
            "zendesk",
            "migrated_1",
            &e2e::config(" ACME "),
            None,
            e2e::creds(&email, &token),
        )
        .await
        .unwrap();
    assert_eq!(record.status, AccountStatus::Active);
    assert_eq!(
        record.status_reason.as_deref(),
        Some("credentials_imported")
    );
    assert_eq!(record.auth_scheme.as_deref(), Some("api_token"));
    assert_eq!(record.config["subdomain"], "acme", "config normalised");
    assert!(env.sim.request_log().is_empty(), "no live probe");

    let out = env
        .tw
        .execute_tool("migrated_1", "zendesk_groups_list", json!({}))
        .await
        .expect("the imported credentials are used");
    assert!(!out.data["groups"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn import_checks_what_set_credentials_checks_and_stores_nothing_on_failure() {
    let env = e2e::env().await;
    let (email, token) = agent(&env, "acme");
    env.sim.clear_request_log();
    let accounts = env.tw.accounts();
    let cases = [
        (
            "bad\nidentifier",
            e2e::config("acme"),
            e2e::creds(&email, &token),
            "INVALID_INPUT",
        ),
        (
            "u1",
            e2e::config("acme"),
            Credentials::from_fields([("email", email.as_str())]),
            "INVALID_CREDENTIALS",
        ),
        (
            "u1",
            e2e::config("acme"),
            e2e::creds("not-an-email", &token),
            "INVALID_CREDENTIALS",
        ),
        (
            "u1",
            e2e::config("not a subdomain!"),
            e2e::creds(&email, &token),
            "INVALID_CONFIG",
        ),
    ];
    for (identifier, config, creds, code) in cases {
        let err = accounts
            .import_credentials("zendesk", identifier, &config, None, creds)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "{identifier:?}: {err}");
    }
    let err = accounts
        .import_credentials(
            "zendesk",
            "u1",
            &e2e::config("acme"),
            Some("no_such_scheme"),
            e2e::creds(&email, &token),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_CREDENTIALS", "{err}");
    let err = accounts
        .import_credentials(
            "nope",
            "u1",
            &e2e::config("acme"),
            None,
            e2e::creds(&email, &token),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "UNKNOWN_CONNECTION", "{err}");
    assert!(
        accounts.get("zendesk", "u1").await.unwrap().is_none(),
        "nothing stored"
    );
    assert!(env.sim.request_log().is_empty(), "nothing sent");
}

#[tokio::test]
async fn wrong_imported_credentials_are_revoked_by_the_first_call_that_fails() {
    let env = e2e::env().await;
    let (email, _) = agent(&env, "acme");
    let record = env
        .tw
        .accounts()
        .import_credentials(
            "zendesk",
            "stale",
            &e2e::config("acme"),
            None,
            e2e::creds(&email, "a-token-rotated-since-the-export"),
        )
        .await
        .unwrap();
    assert_eq!(record.status, AccountStatus::Active);
    let err = env
        .tw
        .execute_tool("stale", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ACCOUNT_REVOKED", "{err}");
    let now = env
        .tw
        .accounts()
        .get("zendesk", "stale")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.status, AccountStatus::Revoked);
}

fn oauth_tokens(fields: serde_json::Value) -> Credentials {
    Credentials::from_value(fields).unwrap()
}

#[tokio::test]
async fn imported_oauth_tokens_need_an_access_token_and_only_token_fields() {
    let env = e2e::env().await;
    env.sim.clear_request_log();
    let accounts = env.tw.accounts();
    let cases = [
        (
            json!({"refresh_token": "r1", "expires_at": 4_000_000_000_i64}),
            "access_token",
        ),
        (json!({"access_token": "  "}), "access_token"),
        (json!({"access_token": "a1", "password": "p"}), "password"),
        (
            json!({"access_token": "a1", "expires_at": "tomorrow"}),
            "expires_at",
        ),
    ];
    for (fields, named) in cases {
        let err = accounts
            .import_credentials(
                "zendesk",
                "oauth_bad",
                &e2e::config("acme"),
                Some("oauth2"),
                oauth_tokens(fields.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "INVALID_CREDENTIALS", "{fields}: {err}");
        assert!(err.to_string().contains(named), "{fields}: {err}");
    }
    assert!(
        accounts
            .get("zendesk", "oauth_bad")
            .await
            .unwrap()
            .is_none(),
        "nothing stored"
    );

    let record = accounts
        .import_credentials(
            "zendesk",
            "oauth_ok",
            &e2e::config("acme"),
            Some("oauth2"),
            oauth_tokens(json!({
                "access_token": "a1",
                "refresh_token": "r1",
                "expires_at": 4_000_000_000_i64,
                "scope": "read write",
            })),
        )
        .await
        .unwrap();
    assert_eq!(record.status, AccountStatus::Active);
    assert_eq!(record.auth_scheme.as_deref(), Some("oauth2"));
    assert!(env.sim.request_log().is_empty(), "nothing sent");
}

#[tokio::test]
async fn imported_values_no_request_could_carry_are_refused() {
    let env = e2e::env().await;
    let accounts = env.tw.accounts();
    let err = accounts
        .import_credentials(
            "zendesk",
            "oauth_newline",
            &e2e::config("acme"),
            Some("oauth2"),
            oauth_tokens(json!({"access_token": "a1\r\nX-Injected: 1"})),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_CREDENTIALS", "{err}");
    assert!(err.to_string().contains("line break"), "{err}");
    assert!(
        !err.to_string().contains("X-Injected"),
        "no secret in the error"
    );
    assert!(
        accounts
            .get("zendesk", "oauth_newline")
            .await
            .unwrap()
            .is_none(),
        "nothing stored"
    );
}
