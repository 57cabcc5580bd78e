//! The command line: [`SimArgs`] and [`run`], wired as `toolwire sim` by the server binary and
//! as `cargo run -p toolwire-sim --example sim`.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::error::SimError;
use crate::sim::Sim;

/// `toolwire sim` options.
#[derive(Debug, Clone, clap::Args)]
pub struct SimArgs {
    /// Listen address.
    #[arg(long, default_value = "127.0.0.1:8443")]
    pub addr: SocketAddr,
    /// Serve plain HTTP instead of HTTPS.
    #[arg(long)]
    pub http: bool,
    /// Write the test CA certificate (PEM) here (default: ./toolwire-sim-ca.pem in HTTPS mode).
    #[arg(long)]
    pub ca_out: Option<PathBuf>,
    /// RNG seed for the demo data and API tokens.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Tickets per demo tenant (e.g. 100000 for benchmarks).
    #[arg(long, default_value_t = 50)]
    pub tickets: usize,
    /// Tenant that answers hosts that are not *.zendesk.com (e.g. 127.0.0.1).
    #[arg(long, default_value = "acme")]
    pub default_tenant: String,
    /// Requests per minute per tenant.
    #[arg(long, default_value_t = 700)]
    pub rate_limit: u32,
    /// Pagination links use the request's origin when the Host is not *.zendesk.com
    /// (for clients pointed at 127.0.0.1 that follow `next_page` / `links.next`).
    #[arg(long)]
    pub local_links: bool,
    /// Extra exact-match redirect URI for the demo OAuth client `toolwire_demo` (repeatable;
    /// loopback `http://127.0.0.1:*/…` and `http://localhost:*/…` callbacks always work).
    #[arg(long = "oauth-redirect-uri")]
    pub oauth_redirect_uris: Vec<String>,
}

/// Start, print addresses and credentials, serve until Ctrl-C.
pub async fn run(args: SimArgs) -> Result<(), SimError> {
    let sim = Sim::builder()
        .addr(args.addr)
        .http(args.http)
        .seed(args.seed)
        .tickets_per_tenant(args.tickets)
        .default_tenant(args.default_tenant.clone())
        .rate_limit(args.rate_limit)
        .local_links(args.local_links)
        .oauth_redirect_uris(args.oauth_redirect_uris.clone())
        .start()
        .await?;
    println!(
        "toolwire-sim listening on {} ({})",
        sim.addr(),
        if args.http { "http" } else { "https" }
    );
    if !args.http {
        let path = args
            .ca_out
            .clone()
            .unwrap_or_else(|| PathBuf::from("toolwire-sim-ca.pem"));
        std::fs::write(&path, sim.ca_pem())?;
        println!("CA certificate: {}", path.display());
        println!(
            "example: curl --cacert {} --resolve acme.zendesk.com:{port}:127.0.0.1 -u admin@acme.example.com/token:TOKEN https://acme.zendesk.com:{port}/api/v2/users/me.json",
            path.display(),
            port = sim.addr().port()
        );
    }
    println!(
        "default tenant (non-zendesk.com hosts): {}",
        args.default_tenant
    );
    println!("admin API: {}/__sim/tenants", sim.base_url());
    for t in sim.tenants() {
        println!("tenant {} ({} tickets)", t.url, t.tickets);
        for a in &t.agents {
            println!(
                "  {:<6} {:<32} token {} password {}",
                a.role, a.email, a.api_token, a.password
            );
        }
        for a in &t.end_users {
            println!("  {:<6} {:<32} token {}", "end-user", a.email, a.api_token);
        }
        for c in &t.oauth_clients {
            println!(
                "  oauth client {} secret {} scopes {} (authorize {}/oauth/authorizations/new, tokens {}/oauth/tokens)",
                c.identifier,
                c.secret,
                c.scopes.join(" "),
                t.url,
                t.url
            );
        }
    }
    tokio::signal::ctrl_c().await?;
    println!("shutting down");
    sim.shutdown().await;
    Ok(())
}
