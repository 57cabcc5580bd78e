//! Security properties of a real `toolwire serve` process: weak API keys are refused unless
//! allowed explicitly; admin sessions end when the API key is rotated; the SQLite files of
//! the data directory are owner-only; a used magic link stays used across replicas sharing
//! PostgreSQL (skipped loudly without `TOOLWIRE_TEST_POSTGRES_URL`).

mod common;
mod ui_harness;

use std::path::Path;
use std::time::Duration;

use secrecy::ExposeSecret as _;
use serde_json::json;
use toolwire_runtime::MasterKey;
use toolwire_sim::Sim;

use common::API_KEY;
use common::pg::PgSchema;
use common::process::ServerProcess;
use ui_harness::hidden;

async fn sim() -> Sim {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Sim::builder().seed(5).start().await.expect("sim starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `name=value` of each Set-Cookie.
fn cookies(resp: &reqwest::Response) -> Vec<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .collect()
}

/// GET `url` with `cookies`: (status, cookies set, body).
async fn get(url: &str, with: &[String]) -> (u16, Vec<String>, String) {
    let resp = client()
        .get(url)
        .header("cookie", with.join("; "))
        .send()
        .await
        .unwrap();
    let (status, set) = (resp.status().as_u16(), cookies(&resp));
    (status, set, resp.text().await.unwrap())
}

/// POST a form to `url` with `cookies`: (status, cookies set, body).
async fn post_form(
    url: &str,
    with: &[String],
    form: &[(&str, &str)],
) -> (u16, Vec<String>, String) {
    let resp = client()
        .post(url)
        .header("cookie", with.join("; "))
        .form(form)
        .send()
        .await
        .unwrap();
    let (status, set) = (resp.status().as_u16(), cookies(&resp));
    (status, set, resp.text().await.unwrap())
}

/// `toolwire serve` with `TOOLWIRE_API_KEY=key`, expected to refuse to start: its stderr.
async fn refused_start(dir: &Path, key: &str) -> String {
    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_toolwire"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("TOOLWIRE_API_KEY", key)
        .env_remove("TOOLWIRE_ALLOW_WEAK_API_KEY")
        .env_remove("TOOLWIRE_DATABASE_URL")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("exits by itself")
        .unwrap();
    assert!(!out.status.success(), "a weak key must not start a server");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn weak_api_keys_are_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused_start(&dir.path().join("data"), "x").await;
    assert!(
        err.contains("1 characters")
            && err.contains("at least 24")
            && err.contains("--allow-weak-api-key"),
        "{err}"
    );
    assert!(!err.contains("toolwire REST API on"), "{err}");
    let err = refused_start(&dir.path().join("data"), "tw_23_characters_long_k").await;
    assert!(err.contains("23 characters"), "{err}");

    // With the explicit flag a throwaway key works.
    let sim = sim().await;
    let server = ServerProcess::start_with(
        &sim,
        dir.path(),
        &["--allow-weak-api-key"],
        &[("TOOLWIRE_API_KEY", "x")],
    )
    .await;
    let resp = client()
        .get(format!("{}/v1/connected_accounts", server.base))
        .bearer_auth("x")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn admin_sessions_end_when_the_api_key_is_rotated() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut first = ServerProcess::start(&sim, dir.path()).await;
    let admin = format!("{}/admin", first.base);
    let (_, login_cookies, page) = get(&admin, &[]).await;
    let csrf = hidden(&page, "csrf").unwrap();
    let (status, set, _) = post_form(
        &format!("{}/admin/login", first.base),
        &login_cookies,
        &[("csrf", &csrf), ("api_key", API_KEY)],
    )
    .await;
    assert_eq!(status, 303);
    let session: Vec<String> = set
        .into_iter()
        .filter(|c| c.starts_with("tw_admin="))
        .collect();
    assert_eq!(get(&admin, &session).await.0, 200);

    // The data directory's SQLite files are the owner's only, like master.key.
    #[cfg(unix)]
    for name in [
        "toolwire.db",
        "toolwire.db-wal",
        "toolwire.db-shm",
        "master.key",
    ] {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("data").join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }

    first.send_sigterm().await;
    assert!(first.wait_exit().await.success());
    // Same data directory (same link secret), a new API key: the old session is over.
    let rotated = "tw_rotated_key_0123456789_abcdef";
    let second =
        ServerProcess::start_with(&sim, dir.path(), &[], &[("TOOLWIRE_API_KEY", rotated)]).await;
    let (status, _, body) = get(&format!("{}/admin", second.base), &session).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("api_key"), "the login form: {body}");
}

/// One replica on the shared database, with the shared master key and link secret.
async fn replica(sim: &Sim, dir: &Path, db_url: &str, master_key: &str) -> ServerProcess {
    std::fs::create_dir_all(dir).unwrap();
    ServerProcess::start_with(
        sim,
        dir,
        &["--database-url", db_url],
        &[
            ("TOOLWIRE_MASTER_KEY", master_key),
            (
                "TOOLWIRE_LINK_SECRET",
                "a-link-secret-shared-by-every-replica-0123",
            ),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_magic_link_stays_used_across_replicas_sharing_postgres() {
    let Some(pg) =
        PgSchema::create("a_used_magic_link_stays_used_across_replicas_sharing_postgres").await
    else {
        return;
    };
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().to_base64();
    let key = key.expose_secret();
    let a = replica(&sim, &dir.path().join("a"), &pg.url, key).await;
    let b = replica(&sim, &dir.path().join("b"), &pg.url, key).await;

    let (status, minted) = a
        .post(
            "/v1/connected_accounts/zendesk/cust_pg/magic_link",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{minted}");
    let token = minted["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let on = |server: &ServerProcess| format!("{}/connect/{token}", server.base);
    let (status, browser, page) = get(&on(&a), &[]).await;
    assert_eq!(status, 200, "{page}");
    let csrf = hidden(&page, "csrf").unwrap();
    let agent = sim.tenant("acme").unwrap().agent().unwrap().clone();
    let form = [
        ("csrf", csrf.as_str()),
        ("config.subdomain", "acme"),
        ("api_token.email", agent.email.as_str()),
        ("api_token.api_token", agent.api_token.as_str()),
        ("scheme", "api_token"),
    ];
    // The same form sent to both replicas at once: the store lets exactly one save.
    let (url_a, url_b) = (on(&a), on(&b));
    let (on_a, on_b) = tokio::join!(
        post_form(&url_a, &browser, &form),
        post_form(&url_b, &browser, &form)
    );
    let mut statuses = [on_a.0, on_b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 410], "{} / {}", on_a.2, on_b.2);

    let deleted = client()
        .delete(format!("{}/v1/connected_accounts/zendesk/cust_pg", a.base))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 200);
    // Spent for good, on the other replica too, although the account is gone.
    let (status, _, page) = get(&on(&b), &[]).await;
    assert_eq!(status, 410, "{page}");
    let (status, _, page) = post_form(&on(&b), &browser, &form).await;
    assert_eq!(status, 410, "{page}");
    let gone = client()
        .get(format!("{}/v1/connected_accounts/zendesk/cust_pg", b.base))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status().as_u16(), 404, "not re-created");
    drop((a, b));
    pg.drop_schema().await;
}
