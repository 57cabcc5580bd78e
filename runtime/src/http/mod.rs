//! The one outbound HTTP client: rustls (ring) with the public web PKI plus optional extra
//! roots, no redirects, timeouts, and optional name overrides that send every host under a
//! suffix to one address (how tests and the demo reach the simulator through the production
//! code path: same URLs, same TLS checks, different address).

mod guard;
mod resolve;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::{Error, Result};
pub use guard::{GuardedResolver, is_public, is_refusal as is_egress_refusal};
pub(crate) use guard::{REFUSED, refused as egress_refused};
pub use resolve::SuffixResolver;

/// How the client reaches upstream APIs.
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    /// Extra trusted root certificates (PEM), e.g. the simulator's test CA.
    pub extra_roots_pem: Vec<String>,
    /// Send every host under `.0` (the name itself or `*.{.0}`) to the address `.1` (TLS still
    /// checks the name); the first matching rule wins.
    pub resolve_suffixes: Vec<(String, SocketAddr)>,
    /// Connect timeout.
    pub connect_timeout: Option<Duration>,
}

/// Builds the client (no egress guard: for operator-chosen targets such as webhooks).
pub fn client(options: &HttpOptions) -> Result<reqwest::Client> {
    build(options, None)
}

/// Builds the client the engine calls upstream APIs with: names resolving to loopback,
/// private, link-local or unique-local addresses are refused unless `allow_private` (names
/// under `resolve_suffixes` are the operator's choice and always allowed).
pub fn guarded_client(options: &HttpOptions, allow_private: bool) -> Result<reqwest::Client> {
    build(options, Some(allow_private))
}

fn build(options: &HttpOptions, guard: Option<bool>) -> Result<reqwest::Client> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for pem in &options.extra_roots_pem {
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert =
                cert.map_err(|e| Error::Internal(format!("bad extra root certificate: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| Error::Internal(format!("bad extra root certificate: {e}")))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(format!("tls setup: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(options.connect_timeout.unwrap_or(Duration::from_secs(10)))
        .pool_idle_timeout(Duration::from_secs(90))
        .user_agent(concat!("toolwire/", env!("CARGO_PKG_VERSION")));
    let overrides = options
        .resolve_suffixes
        .iter()
        .fold(SuffixResolver::default(), |r, (suffix, addr)| {
            r.with(suffix.clone(), *addr)
        });
    if let Some(allow_private) = guard {
        builder = builder.dns_resolver(Arc::new(GuardedResolver::new(overrides, allow_private)));
    } else if !options.resolve_suffixes.is_empty() {
        builder = builder.dns_resolver(Arc::new(overrides));
    }
    builder
        .build()
        .map_err(|e| Error::Internal(format!("http client: {e}")))
}
