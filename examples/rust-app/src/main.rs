//! A Rust app that lets its assistant act on a customer's Zendesk: it connects the customer's
//! account (credentials verified live, kept encrypted), then runs typed tools generated at build
//! time from the same spec the runtime loads.
//!
//! ```sh
//! ZENDESK_SUBDOMAIN=acme ZENDESK_EMAIL=agent@acme.com ZENDESK_API_TOKEN=... \
//!   cargo run -p toolwire-example-rust-app -- [--data-dir DIR] [--extra-ca PEM] [--resolve SUFFIX=IP:PORT]
//! ```
//!
//! Against real Zendesk give no flags. Against the simulator (`toolwire sim --ca-out ca.pem`)
//! trust its CA and send `*.zendesk.com` to it: `--extra-ca ca.pem --resolve
//! zendesk.com=127.0.0.1:8443` (see examples/README.md).

use std::net::SocketAddr;
use std::path::PathBuf;

use toolwire::{Credentials, MasterKey, Store, Toolwire};

// Typed tools (`zendesk::TicketCreate`, ...) from the connector spec; the runtime below loads
// the same file, so their fingerprints match (a different file would be refused).
toolwire::connector!("../../connectors/zendesk.yaml");
const CONNECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../connectors");

/// Your app's id for its customer: the account is stored and routed under it.
const CUSTOMER: &str = "user_zd_123";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&args.data_dir)?;
    // The vault key: TOOLWIRE_MASTER_KEY (production), else a key file created on first run.
    let key = match MasterKey::from_env()? {
        Some(key) => key,
        None => MasterKey::load_or_generate(&args.data_dir.join("master.key"))?.0,
    };
    let mut builder = Toolwire::builder()
        .store(Store::sqlite(args.data_dir.join("toolwire.db")).await?)
        .master_key(key)
        .connectors_dir(CONNECTORS);
    if let Some(pem) = &args.extra_ca {
        builder = builder.extra_root_pem(std::fs::read_to_string(pem)?);
    }
    for (suffix, addr) in args.resolve {
        builder = builder.resolve_suffix(suffix, addr);
    }
    let tw = builder.build().await?;

    // 1. The customer connects their Zendesk (what your settings page would collect).
    let config = serde_json::json!({"subdomain": env("ZENDESK_SUBDOMAIN")?});
    let account = tw
        .accounts()
        .set_credentials(
            "zendesk",
            CUSTOMER,
            config.as_object().ok_or("config is an object")?,
            None,
            Credentials::from_fields([
                ("email", env("ZENDESK_EMAIL")?),
                ("api_token", env("ZENDESK_API_TOKEN")?),
            ]),
        )
        .await?;
    println!("connected {CUSTOMER}: {}", account.status.as_str());

    // 2. The assistant files a ticket and reads it back, with typed inputs and outputs.
    let created = tw
        .execute(
            CUSTOMER,
            zendesk::TicketCreate {
                subject: Some("Printer on fire".into()),
                comment_body: "The printer on floor 3 is on fire.".into(),
                priority: Some(zendesk::Priority::Urgent),
                tags: Some(vec!["rust-app".into()]),
                ..Default::default()
            },
        )
        .await?;
    let ticket: zendesk::TicketSummary = created.data;
    println!("created ticket #{}", ticket.id);
    let read = tw
        .execute(
            CUSTOMER,
            zendesk::TicketGet {
                ticket_id: ticket.id,
                include: None,
            },
        )
        .await?;
    println!(
        "ticket #{} subject: {} (status {:?}, priority {:?})",
        read.data.ticket.id,
        read.data.ticket.subject.as_deref().unwrap_or("-"),
        read.data.ticket.status,
        read.data.ticket.priority,
    );

    // 3. Errors have stable codes; bad input is refused before any request is sent.
    let refused = tw
        .execute_tool(
            CUSTOMER,
            "zendesk_ticket_get",
            serde_json::json!({"ticket_id": "one"}),
        )
        .await;
    if let Err(e) = refused {
        println!("refused bad input: {}", e.code());
    }
    tw.flush().await;
    Ok(())
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

/// `--data-dir DIR` (default `data/rust-app`), `--extra-ca PEM`, `--resolve SUFFIX=IP:PORT`
/// (repeatable).
struct Args {
    data_dir: PathBuf,
    extra_ca: Option<PathBuf>,
    resolve: Vec<(String, SocketAddr)>,
}

impl Args {
    fn parse() -> Args {
        let mut args = Args {
            data_dir: PathBuf::from("data/rust-app"),
            extra_ca: None,
            resolve: Vec::new(),
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let value = it.next().unwrap_or_else(|| usage(&flag));
            match flag.as_str() {
                "--data-dir" => args.data_dir = value.into(),
                "--extra-ca" => args.extra_ca = Some(value.into()),
                "--resolve" => {
                    let rule = value.split_once('=').and_then(|(suffix, addr)| {
                        Some((suffix.to_string(), addr.parse::<SocketAddr>().ok()?))
                    });
                    args.resolve.push(rule.unwrap_or_else(|| usage(&value)));
                }
                _ => usage(&flag),
            }
        }
        args
    }
}

fn usage(bad: &str) -> ! {
    eprintln!(
        "unexpected `{bad}`; usage: rust-app [--data-dir DIR] [--extra-ca PEM] [--resolve SUFFIX=IP:PORT]"
    );
    std::process::exit(2)
}
