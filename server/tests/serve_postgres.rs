//! `toolwire serve --database-url postgres://...`: the real server binary keeps its accounts,
//! vault and audit log in PostgreSQL (what several replicas share), honours `--audit-log`, and
//! a second server process on the same database serves the account the first one connected.
//! Skipped (loudly) without `TOOLWIRE_TEST_POSTGRES_URL`.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use secrecy::ExposeSecret as _;
use serde_json::{Value, json};
use toolwire_runtime::{MasterKey, Store};
use toolwire_sim::Sim;

const API_KEY: &str = "tw_test_key_pg_0123456789";

/// A fresh schema on the test server; the URL selects it through `search_path`.
async fn schema(server_url: &str) -> (String, String) {
    let name = format!("t_serve_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(server_url)
        .await
        .expect("postgres reachable");
    sqlx::query(&format!("CREATE SCHEMA {name}"))
        .execute(&admin)
        .await
        .unwrap();
    let sep = if server_url.contains('?') { "&" } else { "?" };
    let url = format!("{server_url}{sep}options=-c%20search_path%3D{name}");
    (name, url)
}

struct Server {
    child: tokio::process::Child,
    base: String,
}

async fn spawn_server(
    data_dir: &Path,
    ca: &Path,
    sim: &Sim,
    db_url: &str,
    master_key: &str,
) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_toolwire"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--sim-ca")
        .arg(ca)
        .args(["--resolve-zendesk", &sim.addr().to_string()])
        .args(["--database-url", db_url, "--audit-log", "failures"])
        .env("TOOLWIRE_API_KEY", API_KEY)
        .env("TOOLWIRE_MASTER_KEY", master_key)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("toolwire serve starts");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..600 {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await
            && r.status() == 200
        {
            return Server { child, base };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("toolwire serve --database-url did not become ready");
}

async fn post(base: &str, path: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(API_KEY)
        .json(&body)
        .send()
        .await
        .expect("request");
    (r.status().as_u16(), r.json().await.expect("JSON body"))
}

/// Sends SIGTERM and waits: the server flushes its audit rows before exiting.
async fn stop(mut server: Server) {
    let pid = server.child.id().expect("running") as i32;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("SIGTERM sent");
    let status = tokio::time::timeout(Duration::from_secs(30), server.child.wait())
        .await
        .expect("server exits after SIGTERM")
        .unwrap();
    assert!(status.success(), "clean exit, got {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_keeps_accounts_and_audit_in_postgres() {
    let Ok(server_url) = std::env::var("TOOLWIRE_TEST_POSTGRES_URL") else {
        eprintln!(
            "SKIPPED serve_keeps_accounts_and_audit_in_postgres (set TOOLWIRE_TEST_POSTGRES_URL)"
        );
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (name, db_url) = schema(&server_url).await;
    let sim = Sim::builder().seed(3).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, sim.ca_pem()).unwrap();
    let key = MasterKey::generate().to_base64();
    let key = key.expose_secret();

    // Replica 1 connects the account and makes one good and one failing call.
    let first = spawn_server(&dir.path().join("a"), &ca, &sim, &db_url, key).await;
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    let (status, account) = post(
        &first.base,
        "/v1/connected_accounts",
        json!({
            "connection_name": "zendesk",
            "identifier": "cust-1",
            "config": {"subdomain": "acme"},
            "credentials": {"email": agent.email, "api_token": agent.api_token},
        }),
    )
    .await;
    assert_eq!(status, 200, "{account}");
    let call = |ticket: i64| json!({"identifier": "cust-1", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": ticket}});
    let (status, ok) = post(&first.base, "/v1/execute_tool", call(1)).await;
    assert_eq!(status, 200, "{ok}");
    assert_eq!(ok["data"]["ticket"]["id"], 1);
    let (status, missing) = post(&first.base, "/v1/execute_tool", call(999_999)).await;
    assert_eq!(status, 404, "{missing}");
    stop(first).await;

    // Replica 2 (its own data dir, same database and master key) serves the same account.
    let second = spawn_server(&dir.path().join("b"), &ca, &sim, &db_url, key).await;
    let (status, again) = post(&second.base, "/v1/execute_tool", call(1)).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["data"]["ticket"]["id"], 1);
    stop(second).await;

    // Everything is in PostgreSQL, and `--audit-log failures` kept only the failed call.
    let store = Store::connect(&db_url).await.unwrap();
    let stored = store
        .get_account("zendesk", "cust-1")
        .await
        .unwrap()
        .expect("account row in postgres");
    assert!(stored.last_used_at.is_some(), "last use kept");
    let rows = store.list_executions(None, 100).await.unwrap();
    let outcomes: Vec<(&str, Option<&str>)> = rows
        .iter()
        .map(|r| (r.outcome.as_str(), r.error_code.as_deref()))
        .collect();
    assert_eq!(outcomes, vec![("error", Some("NOT_FOUND"))]);
    for d in ["a", "b"] {
        assert!(
            !dir.path().join(d).join("toolwire.db").exists(),
            "no SQLite file when a database URL is given"
        );
    }
    let admin = sqlx::PgPool::connect(&server_url).await.unwrap();
    sqlx::query(&format!("DROP SCHEMA {name} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
}
