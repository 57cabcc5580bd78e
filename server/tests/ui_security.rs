//! Security properties of the onboarding UI and its REST routes, over plain HTTP against the
//! real server, simulator and SQLite store: an OAuth authorization completes only in the
//! browser that started it (from the connect page or a REST start link); a used magic link
//! stays used after its account is deleted; a logout ends the admin session; failed
//! authentications are throttled per client; identifiers follow one rule.

mod ui_harness;

use serde_json::json;
use ui_harness::{API_KEY, Ui};

/// Opens a magic link for `identifier` and presses "Connect with Zendesk" (subdomain `acme`):
/// the vendor URL and the starting browser's cookies.
async fn start_oauth_from_link(ui: &Ui, identifier: &str) -> (String, Vec<String>) {
    let link = ui.magic_link(identifier).await;
    let (_, cookies, csrf) = ui.open(&link).await;
    let go = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "acme"),
                ("scheme", "oauth2"),
            ],
        )
        .await;
    assert_eq!(go.status, 303, "{}", go.body);
    let bind = go.set_cookie("tw_oauth").expect("binding cookie");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/oauth/callback"] {
        assert!(bind.contains(attr), "{bind}");
    }
    (go.header("location").to_string(), go.cookies())
}

fn code_exchanges(ui: &Ui) -> usize {
    ui.sim
        .request_log()
        .iter()
        .filter(|r| r.credential.contains("grant:authorization_code"))
        .count()
}

#[tokio::test]
async fn oauth_callback_only_completes_in_the_browser_that_started_it() {
    let ui = Ui::start().await;
    // The attacker starts "Connect with Zendesk" from a link for their own identifier and sends
    // the vendor URL to a victim, who signs in and allows access.
    let (vendor, attacker_browser) = start_oauth_from_link(&ui, "attacker").await;
    let victim = ui.agent("acme");
    let callback = ui.consent(&vendor, &victim.email, &victim.password).await;
    assert!(callback.starts_with(&ui.url("/oauth/callback?")));

    // The vendor sends the victim's browser back: no binding cookie there.
    let refused = ui.get(&callback, &[]).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("OAUTH_BROWSER_MISMATCH"),
        "{}",
        refused.body
    );
    // A binding for another authorization does not fit this one either.
    let (_, other_browser) = start_oauth_from_link(&ui, "someone_else").await;
    let refused = ui.get(&callback, &other_browser).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(code_exchanges(&ui), 0, "refused before the code exchange");
    assert_eq!(ui.account("attacker").await["status"], "PENDING_AUTH");

    // The browser that started it can still finish (the state was not used up).
    let done = ui.get(&callback, &attacker_browser).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(ui.account("attacker").await["status"], "ACTIVE");
    let cleared = done.set_cookie("tw_oauth").unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
}

#[tokio::test]
async fn rest_oauth_start_link_binds_the_browser_that_opens_it() {
    let ui = Ui::start().await;
    let a = Ui::answer(
        ui.http
            .post(ui.url("/v1/connected_accounts/zendesk/cust_rest/oauth/authorize"))
            .bearer_auth(API_KEY)
            .json(&json!({"config": {"subdomain": "acme"}})),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let start = a.json()["url"].as_str().unwrap().to_string();
    assert!(start.starts_with(&ui.url("/oauth/start/")), "{start}");

    // Opening it binds nothing and redirects nowhere: a page says what is being connected to
    // whom (a start link sent to someone else is the attack this page stops).
    let page = ui.get(&start, &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.headers.get("location").is_none());
    assert!(
        page.set_cookie("tw_oauth").is_none(),
        "no binding before the POST"
    );
    assert!(
        page.body
            .contains("You are connecting your Zendesk Support account to")
            && page.body.contains("cust_rest")
            && page.body.contains("Continue only if you started this"),
        "{}",
        page.body
    );
    let (_, cookies, csrf) = ui.open(&start).await;
    // A cross-site POST (no CSRF cookie / field) binds nothing.
    let forged_post = ui.post_form(&start, &[], &[("csrf", &csrf)]).await;
    assert_eq!(forged_post.status, 403, "{}", forged_post.body);
    assert!(forged_post.set_cookie("tw_oauth").is_none());
    // The user confirms: a cookie, then on to the vendor.
    let go = ui.post_form(&start, &cookies, &[("csrf", &csrf)]).await;
    assert_eq!(go.status, 303, "{}", go.body);
    let vendor = go.header("location").to_string();
    assert!(vendor.starts_with("https://acme.zendesk.com/"), "{vendor}");
    let browser = go.cookies();
    assert!(browser.iter().any(|c| c.starts_with("tw_oauth=")));
    let replay = ui.post_form(&start, &cookies, &[("csrf", &csrf)]).await;
    assert_eq!(replay.status, 400, "{}", replay.body);
    // Single use: a copy opened elsewhere gets no binding.
    let again = ui.get(&start, &[]).await;
    assert_eq!(again.status, 400, "{}", again.body);
    assert!(again.body.contains("OAUTH_STATE_INVALID"), "{}", again.body);
    // Forged start links are refused.
    let forged = ui.get(&format!("{start}x"), &[]).await;
    assert_eq!(forged.status, 400);

    let agent = ui.agent("acme");
    let callback = ui.consent(&vendor, &agent.email, &agent.password).await;
    assert_eq!(ui.get(&callback, &[]).await.status, 403);
    assert_eq!(code_exchanges(&ui), 0);
    let done = ui.get(&callback, &browser).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(ui.account("cust_rest").await["auth_scheme"], "oauth2");
}

#[tokio::test]
async fn a_magic_link_is_used_once_across_the_form_and_oauth() {
    let ui = Ui::start().await;
    let agent = ui.agent("acme");
    let api_token_form = |csrf: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("config.subdomain".into(), "acme".into()),
            ("api_token.email".into(), agent.email.clone()),
            ("api_token.api_token".into(), agent.api_token.clone()),
            ("scheme".into(), "api_token".into()),
        ]
    };
    let oauth = |csrf: String| {
        vec![
            ("csrf".to_string(), csrf),
            ("config.subdomain".into(), "acme".into()),
            ("scheme".into(), "oauth2".into()),
        ]
    };
    let post = |link: String, cookies: Vec<String>, form: Vec<(String, String)>| {
        let ui = &ui;
        async move {
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            ui.post_form(&link, &cookies, &pairs).await
        }
    };

    // OAuth started from the link, then the form saves from another tab: the callback, which
    // carries the now-used link, is refused before the code is exchanged.
    let link = ui.magic_link("cust_once").await;
    let (_, cookies, csrf) = ui.open(&link).await;
    let go = post(link.clone(), cookies.clone(), oauth(csrf.clone())).await;
    assert_eq!(go.status, 303, "{}", go.body);
    let browser: Vec<String> = cookies.iter().cloned().chain(go.cookies()).collect();
    let saved = post(link.clone(), cookies.clone(), api_token_form(&csrf)).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let callback = ui
        .consent(go.header("location"), &agent.email, &agent.password)
        .await;
    let refused = ui.get(&callback, &browser).await;
    assert_eq!(refused.status, 410, "{}", refused.body);
    assert!(refused.body.contains("LINK_USED"), "{}", refused.body);
    assert_eq!(code_exchanges(&ui), 0);
    assert_eq!(ui.account("cust_once").await["auth_scheme"], "api_token");

    // OAuth completes first: the form refuses the link afterwards.
    let link = ui.magic_link("cust_once_2").await;
    let (_, cookies, csrf) = ui.open(&link).await;
    let go = post(link.clone(), cookies.clone(), oauth(csrf.clone())).await;
    assert_eq!(go.status, 303, "{}", go.body);
    let browser: Vec<String> = cookies.iter().cloned().chain(go.cookies()).collect();
    let callback = ui
        .consent(go.header("location"), &agent.email, &agent.password)
        .await;
    let done = ui.get(&callback, &browser).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let replay = post(link.clone(), cookies.clone(), api_token_form(&csrf)).await;
    assert_eq!(replay.status, 410, "{}", replay.body);
    assert_eq!(ui.account("cust_once_2").await["auth_scheme"], "oauth2");
}

#[tokio::test]
async fn a_used_magic_link_stays_used_after_the_account_is_deleted() {
    let ui = Ui::start().await;
    let link = ui.magic_link("cust_del").await;
    let (_, cookies, csrf) = ui.open(&link).await;
    let agent = ui.agent("acme");
    let form = [
        ("csrf", csrf.as_str()),
        ("config.subdomain", "acme"),
        ("api_token.email", agent.email.as_str()),
        ("api_token.api_token", agent.api_token.as_str()),
        ("scheme", "api_token"),
    ];
    let done = ui.post_form(&link, &cookies, &form).await;
    assert_eq!(done.status, 200, "{}", done.body);

    let deleted = Ui::answer(
        ui.http
            .delete(ui.url("/v1/connected_accounts/zendesk/cust_del"))
            .bearer_auth(API_KEY),
    )
    .await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);

    let page = ui.get(&link, &[]).await;
    assert_eq!(page.status, 410, "{}", page.body);
    assert!(page.body.contains("LINK_USED"));
    let replay = ui.post_form(&link, &cookies, &form).await;
    assert_eq!(replay.status, 410, "{}", replay.body);
    assert_eq!(
        ui.account("cust_del").await["error"]["code"],
        "ACCOUNT_NOT_FOUND",
        "the spent link did not re-create the account"
    );
}

#[tokio::test]
async fn a_failed_save_gives_the_link_back() {
    let ui = Ui::start().await;
    let link = ui.magic_link("cust_retry").await;
    let (_, cookies, csrf) = ui.open(&link).await;
    let agent = ui.agent("acme");
    let with_token = |token: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            ("config.subdomain".into(), "acme".into()),
            ("api_token.email".into(), agent.email.clone()),
            ("api_token.api_token".into(), token.to_string()),
            ("scheme".into(), "api_token".into()),
        ]
    };
    let post = |form: Vec<(String, String)>| {
        Ui::answer(
            ui.http
                .post(&link)
                .header("cookie", cookies.join("; "))
                .form(&form),
        )
    };
    assert_eq!(post(with_token("wrong-token")).await.status, 400);
    assert_eq!(ui.get(&link, &[]).await.status, 200, "still usable");
    assert_eq!(post(with_token(&agent.api_token)).await.status, 200);
    assert_eq!(post(with_token(&agent.api_token)).await.status, 410);
}

/// Signs in to /admin with the API key; the session cookie.
async fn admin_login(ui: &Ui) -> String {
    let login = ui.get(&ui.url("/admin"), &[]).await;
    let csrf = ui_harness::hidden(&login.body, "csrf").unwrap();
    let ok = ui
        .post_form(
            &ui.url("/admin/login"),
            &login.cookies(),
            &[("csrf", &csrf), ("api_key", API_KEY)],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    ok.cookies()
        .into_iter()
        .find(|c| c.starts_with("tw_admin="))
        .unwrap()
}

#[tokio::test]
async fn admin_logout_ends_the_session_even_for_a_kept_cookie() {
    let ui = Ui::start().await;
    let session = admin_login(&ui).await;
    let page = ui
        .get(&ui.url("/admin"), std::slice::from_ref(&session))
        .await;
    assert_eq!(page.status, 200);
    let csrf = ui_harness::hidden(&page.body, "csrf").unwrap();
    let out = ui
        .post_form(
            &ui.url("/admin/logout"),
            std::slice::from_ref(&session),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(out.status, 303);
    // A copy of the cookie (kept by the browser, or stolen) opens nothing any more.
    let after = ui
        .get(&ui.url("/admin"), std::slice::from_ref(&session))
        .await;
    assert_eq!(after.status, 401, "{}", after.body);
    assert!(after.body.contains("api_key"), "the login form again");
    // Other sessions are untouched.
    let other = admin_login(&ui).await;
    assert_eq!(ui.get(&ui.url("/admin"), &[other]).await.status, 200);
}

#[tokio::test]
async fn failed_bearer_keys_are_throttled_per_client() {
    let ui = Ui::start().await;
    let accounts = ui.url("/v1/connected_accounts");
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let a = Ui::answer(ui.http.get(&accounts).bearer_auth("tw_wrong_guess")).await;
        statuses.push(a.status);
        if a.status == 429 {
            let err = &a.json()["error"];
            assert_eq!(err["code"], "AUTH_THROTTLED", "{}", a.body);
            assert!(err["retry_after_s"].as_u64().is_some_and(|s| s >= 1));
            assert!(a.header("retry-after").parse::<u64>().is_ok_and(|s| s >= 1));
        }
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    // While throttled even the right key waits: guessing cannot go faster than the refill.
    let right = Ui::answer(ui.http.get(&accounts).bearer_auth(API_KEY)).await;
    assert_eq!(right.status, 429);
    let mcp = Ui::answer(
        ui.http
            .post(ui.url("/mcp"))
            .bearer_auth("tw_wrong_guess")
            .header("X-Toolwire-Identifier", "x")
            .json(&json!({})),
    )
    .await;
    assert_eq!(mcp.json()["error"]["code"], "AUTH_THROTTLED");
    // No key at all is not a guess: plain 401.
    assert_eq!(Ui::answer(ui.http.get(&accounts)).await.status, 401);
}

#[tokio::test]
async fn failed_admin_logins_are_throttled() {
    let ui = Ui::start().await;
    let login = ui.get(&ui.url("/admin"), &[]).await;
    let cookies = login.cookies();
    let csrf = ui_harness::hidden(&login.body, "csrf").unwrap();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let a = ui
            .post_form(
                &ui.url("/admin/login"),
                &cookies,
                &[("csrf", &csrf), ("api_key", "a-wrong-guess")],
            )
            .await;
        statuses.push(a.status);
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    let a = ui
        .post_form(
            &ui.url("/admin/login"),
            &cookies,
            &[("csrf", &csrf), ("api_key", API_KEY)],
        )
        .await;
    assert_eq!(a.status, 429, "the right key waits too");
    assert!(a.body.contains("AUTH_THROTTLED"), "{}", a.body);
    assert!(a.header("retry-after").parse::<u64>().is_ok());
    assert!(a.set_cookie("tw_admin").is_none());
}

#[tokio::test]
async fn link_minting_follows_the_identifier_rule() {
    let ui = Ui::start().await;
    let mint = |ident: String| {
        Ui::answer(
            ui.http
                .post(ui.url(&format!(
                    "/v1/connected_accounts/zendesk/{}/magic_link",
                    pct(&ident)
                )))
                .bearer_auth(API_KEY),
        )
    };
    for bad in ["x".repeat(3500), "a\0b".into(), " padded".into()] {
        let a = mint(bad.clone()).await;
        assert_eq!(a.status, 400, "{bad:?}: {}", a.body);
        let err = &a.json()["error"];
        assert_eq!(err["code"], "INVALID_INPUT", "{}", a.body);
        assert_eq!(err["details"][0]["field"], "identifier", "{}", a.body);
        assert!(err.get("url").is_none() && !a.body.contains("/connect/"));
    }
    let list = Ui::answer(
        ui.http
            .get(ui.url("/v1/connected_accounts"))
            .bearer_auth(API_KEY),
    )
    .await;
    assert_eq!(
        list.json()["connected_accounts"],
        json!([]),
        "no account created"
    );
    let ok = mint("x".repeat(256)).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let link = ok.json()["url"].as_str().unwrap().to_string();
    assert_eq!(
        ui.get(&link, &[]).await.status,
        200,
        "the page opens what was minted"
    );
}

/// Percent-encodes every byte but ASCII letters and digits (for a path segment).
fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
