//! The onboarding UI in headless Chromium, driven over WebDriver (chromedriver + fantoccini):
//! magic link → fill the form → ACTIVE; a wrong token shows the error and keeps the other
//! fields (the token field empty); a used link is refused; magic link → "Connect with
//! Zendesk" → the simulator's sign-in and consent → callback → ACTIVE → a tool call with the
//! bearer token. Without chromium/chromedriver the test prints a loud SKIPPED and passes,
//! unless `TOOLWIRE_REQUIRE_BROWSER=1` (CI) makes that a failure.

mod ui_harness;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use ui_harness::{API_KEY, Ui};

const WAIT: Duration = Duration::from_secs(20);

fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// chromedriver (killed on drop) and a WebDriver session on a fresh profile.
struct Browser {
    client: Client,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start(sim_port: u16) -> Option<Browser> {
        let driver = find("TOOLWIRE_CHROMEDRIVER", &["chromedriver"]);
        let chromium = find(
            "TOOLWIRE_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        );
        let (Some(driver), Some(chromium)) = (driver, chromium) else {
            if std::env::var("TOOLWIRE_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!(
                    "TOOLWIRE_REQUIRE_BROWSER=1 but chromium and chromedriver were not both found"
                );
            }
            eprintln!("\n==== SKIPPED browser tests (install chromium chromium-driver) ====\n");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = tokio::process::Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", driver.display()));
        let base = format!("http://127.0.0.1:{port}");
        let ready = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let ok = ready.get(format!("{base}/status")).send().await;
            if let Ok(r) = ok
                && let Ok(v) = r.json::<serde_json::Value>().await
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "chromedriver did not get ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", profile.path().display()),
            // The sim plays *.zendesk.com: resolve there and accept its test CA.
            format!("--host-resolver-rules=MAP *.zendesk.com 127.0.0.1:{sim_port}"),
            "--ignore-certificate-errors".into(),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": chromium, "args": args}),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&base)
            .await
            .expect("WebDriver session");
        Some(Browser {
            client,
            _driver: child,
            _profile: profile,
        })
    }

    async fn fill(&self, id: &str, text: &str) {
        let el = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    async fn click(&self, id: &str) {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id}: {e}"))
            .click()
            .await
            .unwrap();
    }

    async fn text(&self, id: &str) -> String {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id(id))
            .await
        {
            Ok(el) => el.text().await.unwrap(),
            Err(e) => panic!(
                "#{id} did not appear on {:?}: {e}\n{}",
                self.client.current_url().await.ok(),
                self.client.source().await.unwrap_or_default()
            ),
        }
    }

    async fn value(&self, id: &str) -> String {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_in_headless_chromium() {
    let ui = Ui::start().await;
    let Some(b) = Browser::start(ui.sim.addr().port()).await else {
        return;
    };
    let agent = ui.agent("acme");

    // 1. A wrong token: the error is shown, the other fields are kept, the token is not.
    let link = ui.magic_link("br_token").await;
    b.client.goto(&link).await.unwrap();
    assert_eq!(b.text("identifier").await, "br_token");
    b.fill(
        "f-config-subdomain",
        "https://acme.zendesk.com/agent/dashboard",
    )
    .await;
    b.fill("f-api_token-email", &agent.email).await;
    b.fill("f-api_token-api_token", "not-the-right-token").await;
    b.click("connect-api_token").await;
    assert_eq!(b.text("error-code").await, "INVALID_CREDENTIALS");
    assert_eq!(
        b.value("f-config-subdomain").await,
        "https://acme.zendesk.com/agent/dashboard"
    );
    assert_eq!(b.value("f-api_token-email").await, agent.email);
    assert_eq!(
        b.value("f-api_token-api_token").await,
        "",
        "the token field is empty"
    );
    assert!(
        !b.client
            .source()
            .await
            .unwrap()
            .contains("not-the-right-token")
    );

    // 2. The right token on the same page: ACTIVE.
    b.fill("f-api_token-api_token", &agent.api_token).await;
    b.click("connect-api_token").await;
    assert_eq!(b.text("account-status").await, "ACTIVE");
    assert_eq!(ui.account("br_token").await["status"], "ACTIVE");

    // 3. The link again: refused.
    b.client.goto(&link).await.unwrap();
    assert_eq!(b.text("error-code").await, "LINK_USED");

    // 4. OAuth: "Connect with Zendesk" → sim sign-in → consent → callback → ACTIVE → tool call.
    let link = ui.magic_link("br_oauth").await;
    b.client.goto(&link).await.unwrap();
    b.fill("f-config-subdomain", "acme").await;
    b.click("connect-oauth2").await;
    b.fill("email", &agent.email).await;
    b.fill("password", &agent.password).await;
    b.click("login").await;
    b.click("allow").await;
    assert_eq!(b.text("account-status").await, "ACTIVE");
    assert_eq!(b.text("auth-scheme").await, "Connect with Zendesk");
    let account = ui.account("br_oauth").await;
    assert_eq!(
        (account["status"].as_str(), account["auth_scheme"].as_str()),
        (Some("ACTIVE"), Some("oauth2"))
    );
    ui.sim.clear_request_log();
    let out = Ui::answer(
        ui.http
            .post(ui.url("/v1/execute_tool"))
            .bearer_auth(API_KEY)
            .json(&json!({
        "identifier": "br_oauth", "tool_name": "zendesk_search_tickets",
        "tool_input": {"query": "status:open priority:urgent"}})),
    )
    .await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert!(
        ui.sim
            .request_log()
            .iter()
            .any(|r| r.credential.starts_with("bearer:"))
    );
    b.client.goto(&link).await.unwrap();
    assert_eq!(b.text("error-code").await, "LINK_USED");

    b.client.close().await.unwrap();
}
