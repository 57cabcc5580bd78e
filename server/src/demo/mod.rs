//! `toolwire demo`: the README's first command. Starts the Zendesk simulator in-process, a
//! local vault, connects two customers (one with an API token, one with OAuth), plays the
//! support-assistant story ([`story`]) and then (unless `--once`) serves the REST API and the
//! onboarding UI on localhost, printing a magic link for a new customer.

mod oauth;
mod print;
mod story;

use std::net::SocketAddr;
use std::path::PathBuf;

use toolwire_sim::Sim;

use crate::app::{self, AppState};
use crate::error::{Result, ServerError};
use crate::setup::{self, RuntimeOptions};
use crate::web::ApiKeys;

/// `toolwire demo` options.
#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Exit after the story instead of serving REST.
    #[arg(long)]
    pub once: bool,
    /// Where the demo vault lives (SQLite + its master key).
    #[arg(long, default_value = "data/demo")]
    pub data_dir: PathBuf,
    /// REST listen address after the story.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Simulator seed (same seed, same tickets and tokens).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Connectors directory (default: ./connectors, else the workspace's).
    #[arg(long)]
    pub connectors: Option<PathBuf>,
}

/// Runs the demo.
pub async fn run(args: DemoArgs) -> Result<()> {
    let sim = Sim::builder().seed(args.seed).start().await?;
    print::header(&format!(
        "Zendesk simulator on https://{} (tenants: {})",
        sim.addr(),
        sim.tenants()
            .iter()
            .map(|t| t.subdomain.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    // Bind first so reconnect links name the real address.
    let listener = if args.once {
        None
    } else {
        Some(app::bind(args.addr).await?)
    };
    let link_base = match &listener {
        Some(l) => format!(
            "http://{}",
            l.local_addr()
                .map_err(|e| ServerError::io("local address", e))?
        ),
        None => format!("http://{}", args.addr),
    };
    let opts = RuntimeOptions {
        data_dir: args.data_dir.clone(),
        connectors: args.connectors.clone(),
        extra_root_pem: Some(sim.ca_pem()),
        resolve: vec![("zendesk.com".into(), sim.addr())],
        link_base: Some(link_base.clone()),
        ..Default::default()
    };
    let key = setup::master_key(&args.data_dir)?;
    // The sim's global demo OAuth client (same on every tenant) for the `zendesk` connection.
    let demo_client = sim
        .tenant("acme")?
        .oauth_client("toolwire_demo")
        .cloned()
        .ok_or_else(|| ServerError::Demo("the simulator has no demo OAuth client".into()))?;
    let clients = [setup::OAuthClientConfig {
        connection: "zendesk".into(),
        client_id: demo_client.identifier,
        client_secret: demo_client.secret.into(),
    }];
    let tw = setup::build_with(&opts, key, &clients).await?;
    story::play(&tw, &sim, &format!("{link_base}/oauth/callback")).await?;
    let Some(listener) = listener else {
        sim.shutdown().await;
        return Ok(());
    };
    let api_key = setup::api_key(&args.data_dir)?;
    let state = AppState::new(tw, ApiKeys::default().with_key(&api_key))
        .with_ui(setup::ui_state(&opts, &clients)?);
    print::header("Onboarding: a new customer gets a magic link (signed, single use, 30 min)");
    state
        .tw
        .accounts()
        .get_or_create("zendesk", "new_customer")
        .await?;
    if let Some(ui) = &state.ui {
        let link = ui
            .links
            .mint("zendesk", "new_customer", crate::links::DEFAULT_TTL);
        println!("  open {}", link.url);
        println!(
            "  (simulator accounts: subdomain globex, an agent's email and API token from `curl -sk https://{}/__sim/tenants/globex`)",
            sim.addr()
        );
    }
    println!("  admin page: {link_base}/admin (sign in with the API key)");
    print::header(&format!("REST API on {link_base} (Ctrl-C stops)"));
    let auth = if std::env::var("TOOLWIRE_API_KEY").is_ok_and(|k| !k.trim().is_empty()) {
        "-H \"Authorization: Bearer $TOOLWIRE_API_KEY\"".to_string()
    } else {
        format!(
            "-H \"Authorization: Bearer $(cat {})\"",
            args.data_dir.join("api.key").display()
        )
    };
    println!("  curl {auth} {link_base}/v1/connected_accounts");
    println!("  curl {auth} {link_base}/v1/connected_accounts/zendesk/acme");
    println!(
        "  curl {auth} -H 'content-type: application/json' -d '{{\"identifier\":\"acme\",\"tool_name\":\"zendesk_search_tickets\",\"tool_input\":{{\"query\":\"status:open\"}}}}' {link_base}/v1/execute_tool"
    );
    app::serve_until_signal(listener, state).await?;
    sim.shutdown().await;
    Ok(())
}
