//! Canary secrets: a real API token travels the whole path (verify, calls, a revocation) with
//! logging at TRACE, then must not appear in the logs, any error text, or the SQLite files.

mod e2e;

use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::json;

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
async fn tokens_never_reach_logs_errors_or_database_files() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .init();

    let env = e2e::env().await;
    let tenant = env.sim.tenant("acme").unwrap();
    let agent = tenant.agents[0].clone();
    let canary = agent.api_token.clone();
    assert!(canary.len() >= 16, "a real token");
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}/token:{}", agent.email, canary));

    let mut texts = Vec::new();
    let wrong = env
        .tw
        .accounts()
        .set_credentials(
            "zendesk",
            "c1",
            &e2e::config("acme"),
            None,
            e2e::creds(&agent.email, &format!("{canary}x")),
        )
        .await
        .unwrap_err();
    texts.push(format!("{wrong} {wrong:?}"));
    let account = env
        .tw
        .accounts()
        .set_credentials(
            "zendesk",
            "c1",
            &e2e::config("acme"),
            None,
            e2e::creds(&agent.email, &canary),
        )
        .await
        .unwrap();
    texts.push(format!("{account:?}"));
    env.tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .unwrap();
    let bad = env
        .tw
        .execute_tool("c1", "zendesk_ticket_get", json!({"ticket_id": 999_999}))
        .await
        .unwrap_err();
    texts.push(format!("{bad} {bad:?}"));
    env.sim.rotate_token("acme", &agent.email).unwrap();
    let revoked = env
        .tw
        .execute_tool("c1", "zendesk_groups_list", json!({}))
        .await
        .unwrap_err();
    assert_eq!(revoked.code(), "ACCOUNT_REVOKED");
    texts.push(format!("{revoked} {revoked:?}"));
    env.tw.flush().await;
    env.tw.store().close().await;

    let logs = String::from_utf8_lossy(&capture.0.lock().unwrap()).to_string();
    assert!(
        logs.len() > 1000,
        "TRACE logging captured something ({} bytes)",
        logs.len()
    );
    for (name, haystack) in [("logs", logs.as_str())]
        .into_iter()
        .chain(texts.iter().map(|t| ("error text", t.as_str())))
    {
        assert!(!haystack.contains(&canary), "token found in {name}");
        assert!(
            !haystack.contains(&basic),
            "Authorization header found in {name}"
        );
    }
    for entry in std::fs::read_dir(env._dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for needle in [canary.as_bytes(), basic.as_bytes()] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "secret found in {}",
                path.display()
            );
        }
    }
}

/// The same canary through a PostgreSQL store: a full `pg_dump` of the schema never contains it.
#[tokio::test]
async fn tokens_never_reach_a_postgres_dump() {
    let Some(pg) = e2e::PgSchema::create("tokens_never_reach_a_postgres_dump").await else {
        return;
    };
    let with_schema = pg.url.clone();

    let sim = toolwire_sim::Sim::builder()
        .seed(11)
        .tickets_per_tenant(5)
        .start()
        .await
        .unwrap();
    let tw = toolwire_runtime::Toolwire::builder()
        .store(
            toolwire_runtime::Store::postgres(&with_schema)
                .await
                .unwrap(),
        )
        .master_key(toolwire_runtime::MasterKey::generate())
        .connectors_dir(e2e::connectors_dir())
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr())
        .build()
        .await
        .unwrap();
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    tw.accounts()
        .set_credentials(
            "zendesk",
            "pg1",
            &e2e::config("acme"),
            None,
            e2e::creds(&agent.email, &agent.api_token),
        )
        .await
        .unwrap();
    tw.execute_tool("pg1", "zendesk_groups_list", json!({}))
        .await
        .unwrap();
    tw.flush().await;

    let dump = std::process::Command::new("pg_dump")
        .arg("--schema")
        .arg(pg.name())
        .arg(&pg.server_url)
        .output()
        .expect("pg_dump runs");
    assert!(
        dump.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let text = String::from_utf8_lossy(&dump.stdout);
    assert!(text.contains("pg1"), "the dump holds the account row");
    assert!(
        !text.contains(&agent.api_token),
        "API token found in pg_dump"
    );
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}/token:{}", agent.email, agent.api_token));
    assert!(
        !text.contains(&basic),
        "Authorization header found in pg_dump"
    );
    tw.store().close().await;
    pg.drop_schema().await;
}
