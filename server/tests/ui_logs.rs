//! Secrets in URLs (magic-link tokens, OAuth codes) and in forms (API tokens) never reach the
//! logs, even at TRACE.

mod ui_harness;

use std::io::Write;
use std::sync::{Arc, Mutex};

use ui_harness::Ui;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn link_tokens_codes_and_api_tokens_stay_out_of_trace_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .init();

    let ui = Ui::start().await;
    let link = ui.magic_link("cust_log").await;
    let token = link.rsplit('/').next().unwrap().to_string();
    let (_, cookies, csrf) = ui.open(&link).await;
    let agent = ui.agent("acme");
    let saved = ui
        .post_form(
            &link,
            &cookies,
            &[
                ("csrf", &csrf),
                ("config.subdomain", "acme"),
                ("api_token.email", &agent.email),
                ("api_token.api_token", &agent.api_token),
                ("scheme", "api_token"),
            ],
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let code = "oauth-code-canary-0123456789";
    ui.get(
        &ui.url(&format!("/oauth/callback?state=nope&code={code}")),
        &[],
    )
    .await;

    let logs = String::from_utf8_lossy(&capture.0.lock().unwrap()).to_string();
    assert!(
        logs.len() > 10_000,
        "TRACE logging captured the requests ({} bytes)",
        logs.len()
    );
    assert!(!logs.contains(&token), "magic-link token in logs");
    assert!(!logs.contains(code), "OAuth code in logs");
    assert!(!logs.contains(&agent.api_token), "API token in logs");
}
