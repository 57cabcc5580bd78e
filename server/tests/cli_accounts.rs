//! `toolwire accounts|exec|keys` against a real simulator and a data directory: add with
//! credentials from stdin (verified live), list/show as tables and JSON, exec, key rotation
//! and rewrap with progress, magic links, delete — and exit codes that mean something.

use std::process::Output;

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt as _;
use toolwire_sim::Sim;

struct Env {
    sim: Sim,
    dir: tempfile::TempDir,
    ca: std::path::PathBuf,
}

impl Env {
    async fn start() -> Env {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let sim = Sim::builder().seed(42).start().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("sim-ca.pem");
        std::fs::write(&ca, sim.ca_pem()).unwrap();
        Env { sim, dir, ca }
    }

    /// Runs `toolwire ARGS --data-dir .. --extra-ca .. --resolve zendesk.com=..` (shared flags
    /// appended only for commands that take them), feeding `stdin`.
    async fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_toolwire"));
        cmd.args(args)
            .arg("--data-dir")
            .arg(self.dir.path().join("data"));
        if args[0] != "keys" {
            cmd.arg("--extra-ca")
                .arg(&self.ca)
                .arg("--resolve")
                .arg(format!("zendesk.com={}", self.sim.addr()))
                .arg("--connectors")
                .arg(format!("{}/../connectors", env!("CARGO_MANIFEST_DIR")));
        }
        cmd.env_remove("TOOLWIRE_MASTER_KEY")
            .env_remove("TOOLWIRE_LINK_SECRET")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).await.unwrap();
        }
        drop(input);
        child.wait_with_output().await.unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("JSON: {} / {}", stdout(o), stderr(o)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_exec_keys_end_to_end() {
    let env = Env::start().await;
    let agent = env.sim.tenant("acme").unwrap().agent().unwrap().clone();
    let creds = json!({"email": agent.email, "api_token": agent.api_token}).to_string();

    // add (credentials on stdin, verified live) → ACTIVE; the token is never printed.
    let o = env
        .run(
            &[
                "accounts",
                "add",
                "zendesk",
                "acme",
                "--config",
                "subdomain=https://acme.zendesk.com/agent",
                "--credentials-file",
                "-",
                "--json",
            ],
            Some(&creds),
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["status"], "ACTIVE");
    assert_eq!(v["config"]["subdomain"], "acme");
    assert!(!stdout(&o).contains(&agent.api_token) && !stderr(&o).contains(&agent.api_token));

    // A pending account (no credentials).
    let o = env
        .run(&["accounts", "add", "zendesk", "globex"], None)
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("PENDING_AUTH"));

    // list: a table by default, JSON with --json, filters.
    let o = env.run(&["accounts", "list"], None).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(table.starts_with("CONNECTION"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.contains("acme") && l.contains("ACTIVE")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.contains("globex") && l.contains("PENDING_AUTH")),
        "{table}"
    );
    let o = env
        .run(&["accounts", "list", "--status", "active", "--json"], None)
        .await;
    let list = json_out(&o);
    assert_eq!(list["connected_accounts"].as_array().unwrap().len(), 1);

    // exec: JSON output; bad input → 4; unknown account → 3; unknown tool → 3.
    let o = env
        .run(
            &[
                "exec",
                "zendesk_ticket_get",
                "--identifier",
                "acme",
                "--input",
                r#"{"ticket_id": 1}"#,
            ],
            None,
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let projected = json_out(&o);
    assert_eq!(projected["data"]["ticket"]["id"], 1);
    // The projection keeps what a model needs; --full prints the whole selected response
    // (every ticket field, the sideloaded users).
    assert!(projected["data"].get("users").is_none(), "{projected}");
    assert!(
        projected["data"]["ticket"].get("url").is_none(),
        "{projected}"
    );
    let o = env
        .run(
            &[
                "exec",
                "zendesk_ticket_get",
                "--identifier",
                "acme",
                "--input",
                r#"{"ticket_id": 1}"#,
                "--full",
            ],
            None,
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let full = json_out(&o);
    assert_eq!(full["data"]["ticket"]["id"], 1);
    assert!(full["data"]["users"].is_array(), "{full}");
    assert!(full["data"]["ticket"]["url"].is_string(), "{full}");
    let o = env
        .run(
            &[
                "exec",
                "zendesk_ticket_get",
                "--identifier",
                "acme",
                "--input",
                r#"{"ticket_id": "x"}"#,
            ],
            None,
        )
        .await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("INVALID_INPUT"));
    let o = env
        .run(
            &[
                "exec",
                "zendesk_ticket_get",
                "--identifier",
                "nobody",
                "--input",
                r#"{"ticket_id": 1}"#,
            ],
            None,
        )
        .await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = env
        .run(&["exec", "zendesk_nope", "--identifier", "acme"], None)
        .await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = env
        .run(
            &[
                "exec",
                "zendesk_ticket_get",
                "--identifier",
                "acme",
                "--input",
                "not json",
            ],
            None,
        )
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // show: history and recent executions.
    let o = env
        .run(&["accounts", "show", "zendesk", "acme", "--json"], None)
        .await;
    let v = json_out(&o);
    assert_eq!(v["status"], "ACTIVE");
    assert!(!v["history"].as_array().unwrap().is_empty());
    assert!(
        v["recent_executions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["tool"] == "zendesk_ticket_get"),
        "{v}"
    );
    let o = env
        .run(&["accounts", "show", "zendesk", "acme"], None)
        .await;
    assert!(stdout(&o).contains("status       ACTIVE"), "{}", stdout(&o));

    // keys rotate + rewrap (progress on stderr); credentials still work after.
    let o = env.run(&["keys", "rotate", "--json"], None).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_out(&o)["primary_key_id"], 2);
    let o = env
        .run(&["keys", "rewrap", "--batch-size", "1", "--json"], None)
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("rewrap: batch 1"), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(
        (v["rewrapped"].as_u64(), v["completed"].as_bool()),
        (Some(1), Some(true)),
        "{v}"
    );
    let o = env
        .run(
            &["exec", "zendesk_groups_list", "--identifier", "acme"],
            None,
        )
        .await;
    assert!(o.status.success(), "after rewrap: {}", stderr(&o));

    // link: a magic link on the given public URL.
    let o = env
        .run(
            &[
                "accounts",
                "link",
                "zendesk",
                "globex",
                "--public-url",
                "https://tw.example.com",
                "--json",
            ],
            None,
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        json_out(&o)["url"]
            .as_str()
            .unwrap()
            .starts_with("https://tw.example.com/connect/")
    );

    // A revoked token: exec exits 5 and says where to reconnect; recredential fixes it.
    let new_token = env.sim.rotate_token("acme", &agent.email).unwrap();
    let o = env
        .run(
            &["exec", "zendesk_groups_list", "--identifier", "acme"],
            None,
        )
        .await;
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("ACCOUNT_REVOKED"), "{}", stderr(&o));
    let creds = json!({"email": agent.email, "api_token": new_token}).to_string();
    let o = env
        .run(
            &[
                "accounts",
                "recredential",
                "zendesk",
                "acme",
                "--credentials-file",
                "-",
            ],
            Some(&creds),
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ACTIVE"));

    // delete, then not found (3).
    let o = env
        .run(&["accounts", "delete", "zendesk", "globex"], None)
        .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let o = env
        .run(&["accounts", "delete", "zendesk", "globex"], None)
        .await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn help_documents_exit_codes() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_toolwire"))
        .args(["exec", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Exit codes:") && text.contains("5  account not usable"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_import_from_csv_reports_each_row_and_never_prints_tokens() {
    let env = Env::start().await;
    let acme = env.sim.tenant("acme").unwrap().agent().unwrap().clone();
    let globex = env.sim.tenant("globex").unwrap().agent().unwrap().clone();
    let csv = format!(
        "connection,identifier,config.subdomain,credentials.email,credentials.api_token\n\
         zendesk,imp_1,https://acme.zendesk.com/agent,{},{}\n\
         zendesk,imp_2,globex,{},{}\n\
         zendesk,imp_3,acme,{},wrong-token\n\
         zendesk,imp_4,not a subdomain!,{},{}\n",
        acme.email,
        acme.api_token,
        globex.email,
        globex.api_token,
        acme.email,
        acme.email,
        acme.api_token
    );
    let o = env
        .run(&["accounts", "import", "-", "--json"], Some(&csv))
        .await;
    assert_eq!(o.status.code(), Some(4), "some rows failed: {}", stderr(&o));
    let rows = json_out(&o);
    let by_id = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["identifier"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_id("imp_1")["status"], "ACTIVE");
    assert_eq!(by_id("imp_2")["status"], "ACTIVE");
    assert_eq!(by_id("imp_3")["error"]["code"], "INVALID_CREDENTIALS");
    assert_eq!(by_id("imp_4")["error"]["code"], "INVALID_CONFIG");
    assert_eq!(by_id("imp_4")["line"], 5);
    for secret in [&acme.api_token, &globex.api_token] {
        assert!(
            !stdout(&o).contains(secret.as_str()) && !stderr(&o).contains(secret.as_str()),
            "token printed"
        );
    }
    let listed = json_out(&env.run(&["accounts", "list", "--json"], None).await);
    let active = listed["connected_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "ACTIVE")
        .count();
    assert_eq!(active, 2, "only verified rows are ACTIVE: {listed}");

    let bad = env
        .run(&["accounts", "import", "-"], Some("who,what\nx,y\n"))
        .await;
    assert_eq!(
        bad.status.code(),
        Some(2),
        "unknown columns are a usage error: {}",
        stderr(&bad)
    );
}
