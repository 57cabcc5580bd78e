//! Test harness: the real simulator (HTTPS), a real SQLite vault in a temp dir, the real
//! REST router on 127.0.0.1:0 and a reqwest client.

#![allow(dead_code)]

pub mod pg;
pub mod process;
pub mod redis;

use std::net::SocketAddr;
use std::path::PathBuf;

use toolwire_runtime::MasterKey;
use toolwire_server::app::{self, AppState};
use toolwire_server::setup::{self, RuntimeOptions};
use toolwire_server::web::ApiKeys;
use toolwire_sim::Sim;

pub const API_KEY: &str = "tw_test_key_0123456789_abcdef";

pub struct Harness {
    pub sim: Sim,
    pub base: String,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
    _server: tokio::task::JoinHandle<()>,
}

pub fn connectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors")
}

/// How many tools the specs in [`connectors`] declare together (every `connectors/*.yaml` is
/// loaded, so a catalog over that directory lists them all).
pub fn all_tools() -> usize {
    std::fs::read_dir(connectors())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| toolwire_spec::load_file(&p).unwrap().tools.len())
        .sum()
}

/// Binds 127.0.0.1 on a free port (and installs the TLS provider reqwest needs).
pub async fn bind() -> tokio::net::TcpListener {
    let _ = rustls::crypto::ring::default_provider().install_default();
    app::bind("127.0.0.1:0".parse::<SocketAddr>().unwrap())
        .await
        .expect("bind")
}

/// Serves `tw` on `listener` with the real router (API key [`API_KEY`], no onboarding UI).
pub fn serve(
    listener: tokio::net::TcpListener,
    tw: toolwire_runtime::Toolwire,
) -> tokio::task::JoinHandle<()> {
    let state = AppState::new(tw, ApiKeys::default().with_key(API_KEY));
    tokio::spawn(async move {
        app::serve(listener, app::router(state), std::future::pending())
            .await
            .expect("serve");
    })
}

impl Harness {
    pub async fn start() -> Harness {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let sim = Sim::builder().seed(42).start().await.expect("sim starts");
        let dir = tempfile::tempdir().expect("tempdir");
        let listener = bind().await;
        let addr = listener.local_addr().unwrap();
        let opts = RuntimeOptions {
            data_dir: dir.path().to_path_buf(),
            connectors: Some(connectors()),
            extra_root_pem: Some(sim.ca_pem()),
            resolve: vec![("zendesk.com".into(), sim.addr())],
            link_base: Some(format!("http://{addr}")),
            ..Default::default()
        };
        let tw = setup::build(&opts, MasterKey::generate())
            .await
            .expect("toolwire builds");
        let server = serve(listener, tw);
        Harness {
            sim,
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
            _dir: dir,
            _server: server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends `req` with the API key; returns status and JSON body.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
        let resp = req.bearer_auth(API_KEY).send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("JSON body, got {status}: {text}")),
        )
    }

    /// Connects tenant `sub` as identifier `sub` through the API; returns the account JSON.
    pub async fn connect(&self, sub: &str) -> (u16, serde_json::Value) {
        let t = self.sim.tenant(sub).unwrap();
        let agent = t.agent().unwrap().clone();
        let body = serde_json::json!({
            "connection_name": "zendesk",
            "identifier": sub,
            "config": {"subdomain": format!("https://{sub}.zendesk.com/agent/tickets/1")},
            "credentials": {"email": agent.email, "api_token": agent.api_token},
        });
        self.send(
            self.http
                .post(self.url("/v1/connected_accounts"))
                .json(&body),
        )
        .await
    }
}
