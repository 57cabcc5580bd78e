//! Shared setup for end-to-end tests: a real simulator over HTTPS, a real SQLite file, the
//! production client path (only name resolution and one extra trusted root differ).

// Shared by several test binaries; each uses a subset.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{Map, Value, json};
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_sim::Sim;

pub struct Env {
    pub sim: Sim,
    pub tw: Toolwire,
    pub _dir: tempfile::TempDir,
}

pub fn connectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors")
}

pub async fn env() -> Env {
    env_with(|b| b).await
}

/// Like [`env`], with extra builder settings.
pub async fn env_with(
    configure: impl FnOnce(toolwire_runtime::ToolwireBuilder) -> toolwire_runtime::ToolwireBuilder,
) -> Env {
    let sim = Sim::builder()
        .seed(7)
        .tickets_per_tenant(30)
        .start()
        .await
        .expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path().join("toolwire.db")).await.unwrap();
    let builder = Toolwire::builder()
        .store(store)
        .master_key(MasterKey::generate())
        .connectors_dir(connectors_dir())
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr())
        .reconnect_links(|c, i| Some(format!("https://toolwire.test/connect/{c}/{i}")))
        .outbound_ip_hint("203.0.113.7");
    let tw = configure(builder).build().await.expect("toolwire builds");
    Env { sim, tw, _dir: dir }
}

pub fn config(sub: &str) -> Map<String, Value> {
    json!({"subdomain": sub}).as_object().unwrap().clone()
}

pub fn creds(email: &str, token: &str) -> Credentials {
    Credentials::from_fields([("email", email), ("api_token", token)])
}

impl Env {
    /// Connects `identifier` to the tenant's first agent; returns that agent's email.
    pub async fn connect(&self, identifier: &str, sub: &str) -> String {
        let tenant = self.sim.tenant(sub).unwrap();
        let agent = tenant
            .agents
            .iter()
            .find(|a| a.role == "agent")
            .unwrap_or(&tenant.agents[0])
            .clone();
        self.tw
            .accounts()
            .set_credentials(
                "zendesk",
                identifier,
                &config(sub),
                None,
                creds(&agent.email, &agent.api_token),
            )
            .await
            .expect("credentials verify");
        agent.email
    }
}

/// A fresh PostgreSQL schema for one test (dropped by [`PgSchema::drop_schema`]), when
/// `TOOLWIRE_TEST_POSTGRES_URL` is set; `None` (and a loud SKIPPED line) otherwise.
pub struct PgSchema {
    admin: sqlx::PgPool,
    name: String,
    /// Connection URL whose `search_path` is the schema.
    pub url: String,
    /// The plain server URL (for `pg_dump`).
    pub server_url: String,
}

impl PgSchema {
    pub async fn create(test: &str) -> Option<PgSchema> {
        let Ok(server_url) = std::env::var("TOOLWIRE_TEST_POSTGRES_URL") else {
            eprintln!("SKIPPED {test} (set TOOLWIRE_TEST_POSTGRES_URL)");
            return None;
        };
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&server_url).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA {name}"))
            .execute(&admin)
            .await
            .unwrap();
        let sep = if server_url.contains('?') { "&" } else { "?" };
        let url = format!("{server_url}{sep}options=-c%20search_path%3D{name}");
        Some(PgSchema {
            admin,
            name,
            url,
            server_url,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub async fn drop_schema(self) {
        sqlx::query(&format!("DROP SCHEMA {} CASCADE", self.name))
            .execute(&self.admin)
            .await
            .unwrap();
    }
}
