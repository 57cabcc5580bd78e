//! Shared setup for end-to-end tests: a real simulator over HTTPS, a real SQLite file, the
//! production client path (only name resolution and one extra trusted root differ).

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
    let sim = Sim::builder()
        .seed(7)
        .tickets_per_tenant(30)
        .start()
        .await
        .expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path().join("toolwire.db")).await.unwrap();
    let tw = Toolwire::builder()
        .store(store)
        .master_key(MasterKey::generate())
        .connectors_dir(connectors_dir())
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr())
        .reconnect_links(|c, i| Some(format!("https://toolwire.test/connect/{c}/{i}")))
        .outbound_ip_hint("203.0.113.7")
        .build()
        .await
        .expect("toolwire builds");
    Env { sim, tw, _dir: dir }
}

pub fn config(sub: &str) -> Map<String, Value> {
    json!({"subdomain": sub}).as_object().unwrap().clone()
}

pub fn creds(email: &str, token: &str) -> Credentials {
    Credentials::from_fields([("email", email), ("api_token", token)])
}

#[allow(dead_code)] // not every test binary uses every helper
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
