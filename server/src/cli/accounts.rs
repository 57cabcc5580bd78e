//! `toolwire accounts list|show|add|recredential|delete|link`: connected accounts on a data
//! directory (the same store `toolwire serve` uses). Tables for people, `--json` for scripts;
//! credentials are read from a file or stdin (never echoed, never printed).

use std::io::Read as _;
use std::path::PathBuf;

use clap::Subcommand;
use serde_json::{Map, Value, json};
use toolwire_runtime::{AccountFilter, AccountRecord, AccountStatus, Credentials};

use super::runtime_args::RuntimeArgs;
use crate::error::{Result, ServerError};

/// `toolwire accounts [--data-dir DIR ...] COMMAND`
#[derive(Debug, clap::Args)]
pub struct AccountsArgs {
    #[command(flatten)]
    runtime: RuntimeArgs,
    #[command(subcommand)]
    command: AccountsCommand,
}

/// `toolwire accounts ...`
#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// List connected accounts (all pages), optionally of one connection and/or status.
    List {
        /// Only this connection.
        #[arg(long)]
        connection: Option<String>,
        /// Only this status (PENDING_AUTH, ACTIVE, REVOKED, EXPIRED, RESTRICTED, DISCONNECTED).
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        out: Output,
    },
    /// One account: status, reason, timestamps, status history and recent executions.
    Show {
        /// Connection, e.g. `zendesk`.
        connection: String,
        /// The host app's identifier.
        identifier: String,
        #[command(flatten)]
        out: Output,
    },
    /// Create an account (PENDING_AUTH), or with credentials connect it (verified live).
    ///
    /// Example: echo '{"email":"a@acme.com","api_token":"..."}' |
    ///   toolwire accounts add zendesk user_1 --config subdomain=acme --credentials-file -
    Add {
        /// Connection, e.g. `zendesk`.
        connection: String,
        /// The host app's identifier.
        identifier: String,
        #[command(flatten)]
        creds: CredentialArgs,
        #[command(flatten)]
        out: Output,
    },
    /// Replace an account's credentials (e.g. after REVOKED); config defaults to the current one.
    Recredential {
        /// Connection, e.g. `zendesk`.
        connection: String,
        /// The host app's identifier.
        identifier: String,
        #[command(flatten)]
        creds: CredentialArgs,
        #[command(flatten)]
        out: Output,
    },
    /// Delete an account and its credentials.
    Delete {
        /// Connection, e.g. `zendesk`.
        connection: String,
        /// The host app's identifier.
        identifier: String,
        #[command(flatten)]
        out: Output,
    },
    /// Connect many accounts from a CSV file (or `-` for stdin), each verified live.
    ///
    /// Columns: connection, identifier, [scheme], config.<key>..., credentials.<field>...
    /// e.g. `connection,identifier,config.subdomain,credentials.email,credentials.api_token`.
    /// Exit code 4 when any row failed (every row's result is printed).
    Import {
        /// The CSV file, or `-` for stdin.
        file: PathBuf,
        /// Rows verified at once.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        #[command(flatten)]
        out: Output,
    },
    /// Print a magic link (signed, expiring, single-use) that opens the onboarding page.
    ///
    /// Uses the same link secret as `toolwire serve` (TOOLWIRE_LINK_SECRET or
    /// DATA_DIR/link.secret), so the link works on a server with this data directory.
    Link {
        /// Connection, e.g. `zendesk`.
        connection: String,
        /// The host app's identifier.
        identifier: String,
        /// The server's public URL (where users open the link).
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        public_url: String,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 1800)]
        expires_in_s: i64,
        #[command(flatten)]
        out: Output,
    },
}

/// `--json`.
#[derive(Debug, Clone, clap::Args)]
pub struct Output {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Config and credentials of `add` / `recredential`.
#[derive(Debug, Clone, clap::Args)]
pub struct CredentialArgs {
    /// A config value, e.g. `subdomain=acme` (a pasted URL is normalised); repeatable.
    #[arg(long = "config", value_name = "KEY=VALUE")]
    pub config: Vec<String>,
    /// A JSON object of credentials in a file, or `-` for stdin (keeps secrets out of shell
    /// history), e.g. {"email": "...", "api_token": "..."}.
    #[arg(long, value_name = "FILE")]
    pub credentials_file: Option<PathBuf>,
    /// Auth scheme, when the connector has several (e.g. `api_token`).
    #[arg(long)]
    pub auth_scheme: Option<String>,
}

/// Runs an `accounts` command.
pub async fn run(args: AccountsArgs) -> Result<()> {
    let (cmd, runtime) = (args.command, &args.runtime);
    let tw = runtime.open().await?;
    let accounts = tw.accounts();
    match cmd {
        AccountsCommand::List {
            connection,
            status,
            out,
        } => {
            let filter = AccountFilter {
                connection,
                status: status.as_deref().map(parse_status).transpose()?,
                ..Default::default()
            };
            let mut all = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let page = accounts.list(&filter, token.as_deref(), 200).await?;
                all.extend(page.accounts);
                match page.next_page_token {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
            if out.json {
                let v: Vec<Value> = all.iter().map(view).collect();
                println!("{}", pretty(&json!({ "connected_accounts": v })));
            } else {
                let mut rows = vec![
                    ["CONNECTION", "IDENTIFIER", "STATUS", "LAST USED", "REASON"]
                        .map(String::from)
                        .to_vec(),
                ];
                rows.extend(all.iter().map(|a| {
                    vec![
                        a.connection.clone(),
                        a.identifier.clone(),
                        a.status.as_str().into(),
                        a.last_used_at.map_or("-".into(), |t| t.to_rfc3339()),
                        a.status_reason.clone().unwrap_or_else(|| "-".into()),
                    ]
                }));
                print_table(&rows);
                eprintln!("{} account(s)", all.len());
            }
        }
        AccountsCommand::Show {
            connection,
            identifier,
            out,
        } => {
            let a = require(
                accounts.get(&connection, &identifier).await?,
                &connection,
                &identifier,
            )?;
            let history = accounts.history(&connection, &identifier).await?;
            let executions = tw.store().list_executions(Some(a.id), 10).await?;
            if out.json {
                let mut v = view(&a);
                v["history"] = history
                    .iter()
                    .map(|h| json!({"from": h.from, "to": h.to, "reason": h.reason, "message": h.message, "at": h.at.to_rfc3339()}))
                    .collect();
                v["recent_executions"] = executions
                    .iter()
                    .map(|e| json!({"execution_id": e.execution_id.to_string(), "tool": e.tool, "outcome": e.outcome, "error_code": e.error_code, "latency_ms": e.latency_ms, "at": e.at.to_rfc3339()}))
                    .collect();
                println!("{}", pretty(&v));
            } else {
                print_account(&a);
                println!("\nstatus history:");
                for h in &history {
                    println!(
                        "  {}  {} -> {}  {}",
                        h.at.to_rfc3339(),
                        h.from.map_or("-", |s| s.as_str()),
                        h.to.as_str(),
                        h.reason
                    );
                }
                println!("\nrecent executions:");
                for e in &executions {
                    println!(
                        "  {}  {:<32} {:<6} {:>6} ms  {}",
                        e.at.to_rfc3339(),
                        e.tool,
                        e.outcome,
                        e.latency_ms,
                        e.error_code.clone().unwrap_or_default()
                    );
                }
            }
        }
        AccountsCommand::Import {
            file,
            concurrency,
            out,
        } => {
            super::import::run(&tw, &file, concurrency, out.json).await?;
        }
        AccountsCommand::Add {
            connection,
            identifier,
            creds,
            out,
        } => {
            let record = match read_credentials(&creds)? {
                Some(c) => {
                    let config = parse_config(&creds.config)?;
                    accounts
                        .set_credentials(
                            &connection,
                            &identifier,
                            &config,
                            creds.auth_scheme.as_deref(),
                            c,
                        )
                        .await?
                }
                None if !creds.config.is_empty() => {
                    return Err(ServerError::Usage(
                        "--config is set together with --credentials-file (they are verified together)".into(),
                    ));
                }
                None => accounts.get_or_create(&connection, &identifier).await?,
            };
            show(&record, out.json);
        }
        AccountsCommand::Recredential {
            connection,
            identifier,
            creds,
            out,
        } => {
            let current = require(
                accounts.get(&connection, &identifier).await?,
                &connection,
                &identifier,
            )?;
            let Some(c) = read_credentials(&creds)? else {
                return Err(ServerError::Usage(
                    "recredential needs --credentials-file FILE (or - for stdin)".into(),
                ));
            };
            let config = if creds.config.is_empty() {
                current.config
            } else {
                parse_config(&creds.config)?
            };
            let record = accounts
                .set_credentials(
                    &connection,
                    &identifier,
                    &config,
                    creds.auth_scheme.as_deref(),
                    c,
                )
                .await?;
            show(&record, out.json);
        }
        AccountsCommand::Delete {
            connection,
            identifier,
            out,
        } => {
            if !accounts.delete(&connection, &identifier).await? {
                return Err(not_found(&connection, &identifier));
            }
            if out.json {
                println!(
                    "{}",
                    pretty(
                        &json!({"deleted": true, "connection_name": connection, "identifier": identifier})
                    )
                );
            } else {
                println!("deleted {connection}/{identifier} and its credentials");
            }
        }
        AccountsCommand::Link {
            connection,
            identifier,
            public_url,
            expires_in_s,
            out,
        } => {
            if !(60..=7 * 24 * 3600).contains(&expires_in_s) {
                return Err(ServerError::Usage(
                    "--expires-in-s must be between 60 and 604800".into(),
                ));
            }
            if tw.connector(&connection).is_none() {
                return Err(toolwire_runtime::Error::UnknownConnection { name: connection }.into());
            }
            accounts.get_or_create(&connection, &identifier).await?;
            let signer = crate::links::LinkSigner::load(runtime.data_dir(), &public_url)?;
            let link = signer.mint(
                &connection,
                &identifier,
                chrono::Duration::seconds(expires_in_s),
            );
            if out.json {
                println!(
                    "{}",
                    pretty(&json!({"url": link.url, "expires_at": link.expires_at}))
                );
            } else {
                println!("{}", link.url);
                eprintln!("expires at {}; single use", link.expires_at.to_rfc3339());
            }
        }
    }
    Ok(())
}

fn parse_status(s: &str) -> Result<AccountStatus> {
    s.to_ascii_uppercase()
        .parse::<AccountStatus>()
        .map_err(|_| {
            let all: Vec<&str> = AccountStatus::ALL.iter().map(|s| s.as_str()).collect();
            ServerError::Usage(format!("--status must be one of {}", all.join(", ")))
        })
}

fn parse_config(pairs: &[String]) -> Result<Map<String, Value>> {
    pairs
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), Value::String(v.to_string())))
                .ok_or_else(|| ServerError::Usage(format!("--config {p}: expected KEY=VALUE")))
        })
        .collect()
}

fn read_credentials(args: &CredentialArgs) -> Result<Option<Credentials>> {
    let Some(path) = &args.credentials_file else {
        return Ok(None);
    };
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| ServerError::io("read credentials from stdin", e))?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| ServerError::io(format!("read {}", path.display()), e))?;
    }
    // Never echo the text: it holds secrets.
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(fields)) => Ok(Some(Credentials::new(fields))),
        _ => Err(ServerError::Usage(
            "credentials must be a JSON object, e.g. {\"email\": \"...\", \"api_token\": \"...\"}"
                .into(),
        )),
    }
}

fn require(a: Option<AccountRecord>, conn: &str, ident: &str) -> Result<AccountRecord> {
    a.ok_or_else(|| not_found(conn, ident))
}

fn not_found(conn: &str, ident: &str) -> ServerError {
    toolwire_runtime::Error::AccountNotFound {
        connection: conn.into(),
        identifier: ident.into(),
    }
    .into()
}

fn view(a: &AccountRecord) -> Value {
    json!({
        "connection_name": a.connection,
        "identifier": a.identifier,
        "status": a.status,
        "status_reason": a.status_reason,
        "status_message": a.status_message,
        "auth_scheme": a.auth_scheme,
        "config": a.config,
        "created_at": a.created_at.to_rfc3339(),
        "updated_at": a.updated_at.to_rfc3339(),
        "last_used_at": a.last_used_at.map(|t| t.to_rfc3339()),
    })
}

fn print_account(a: &AccountRecord) {
    let rows = [
        ("connection", a.connection.clone()),
        ("identifier", a.identifier.clone()),
        ("status", a.status.as_str().to_string()),
        (
            "reason",
            a.status_reason.clone().unwrap_or_else(|| "-".into()),
        ),
        (
            "message",
            a.status_message.clone().unwrap_or_else(|| "-".into()),
        ),
        (
            "auth scheme",
            a.auth_scheme.clone().unwrap_or_else(|| "-".into()),
        ),
        ("config", Value::Object(a.config.clone()).to_string()),
        ("created", a.created_at.to_rfc3339()),
        ("updated", a.updated_at.to_rfc3339()),
        (
            "last used",
            a.last_used_at.map_or("-".into(), |t| t.to_rfc3339()),
        ),
    ];
    for (k, v) in rows {
        println!("{k:<12} {v}");
    }
}

fn show(a: &AccountRecord, json: bool) {
    if json {
        println!("{}", pretty(&view(a)));
    } else {
        print_account(a);
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Prints rows as an aligned table (first row is the header).
fn print_table(rows: &[Vec<String>]) {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
}
