//! Test helpers: an HTTPS client that trusts the sim's CA and resolves tenant hosts to it.

#![allow(dead_code)]

use std::sync::Arc;

use base64::Engine;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use toolwire_sim::Sim;

pub async fn start() -> Sim {
    Sim::builder()
        .seed(42)
        .tickets_per_tenant(50)
        .start()
        .await
        .expect("sim starts")
}

pub async fn start_http() -> Sim {
    Sim::builder()
        .http(true)
        .seed(42)
        .tickets_per_tenant(50)
        .start()
        .await
        .expect("sim starts")
}

/// A client for `https://{acme,globex,nope}.zendesk.com` pointed at the sim.
pub fn client(sim: &Sim) -> reqwest::Client {
    builder(sim).build().expect("client")
}

/// Like [`client`] but never follows redirects (for OAuth redirects to loopback callbacks).
pub fn client_no_redirect(sim: &Sim) -> reqwest::Client {
    builder(sim)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn builder(sim: &Sim) -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut b = reqwest::Client::builder();
    if !sim.is_http() {
        let mut roots = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_slice_iter(sim.ca_pem().as_bytes()) {
            roots.add(c.expect("pem")).expect("root");
        }
        let cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
        b = b.tls_backend_preconfigured(cfg);
    }
    for h in [
        "acme.zendesk.com",
        "globex.zendesk.com",
        "nope.zendesk.com",
        "newco.zendesk.com",
    ] {
        b = b.resolve(h, sim.addr());
    }
    b
}

/// `https://{sub}.zendesk.com:PORT` (or http in HTTP mode).
pub fn url(sim: &Sim, sub: &str, path: &str) -> String {
    let scheme = if sim.is_http() { "http" } else { "https" };
    format!("{scheme}://{sub}.zendesk.com:{}{path}", sim.addr().port())
}

pub fn basic(email: &str, token: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}/token:{token}"))
    )
}

/// Authorization header for the tenant's first agent (role `agent`).
pub fn agent_auth(sim: &Sim, sub: &str) -> String {
    let t = sim.tenant(sub).expect("tenant");
    let a = t.agent().expect("agent");
    basic(&a.email, &a.api_token)
}

pub fn admin_auth(sim: &Sim, sub: &str) -> String {
    let t = sim.tenant(sub).expect("tenant");
    let a = t.admin().expect("admin");
    basic(&a.email, &a.api_token)
}

pub fn end_user_auth(sim: &Sim, sub: &str) -> String {
    let t = sim.tenant(sub).expect("tenant");
    let a = &t.end_users[0];
    basic(&a.email, &a.api_token)
}
