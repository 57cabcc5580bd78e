//! The command line: the [`Cli`] definition (clap) and [`main`], which runs one command and
//! turns its outcome into an exit code. Each command family lives in its own file.

mod accounts;
mod exec;
mod import;
mod keys;
mod mcp;
mod openapi;
mod runtime_args;
mod serve;
mod spec;
mod tools;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use toolwire_runtime::error::{ErrorKind, UpstreamErrorCode};

pub use runtime_args::{RuntimeArgs, StoreArgs};
pub use serve::ServeArgs;

use crate::ServerError;
use crate::demo::DemoArgs;

/// toolwire — let AI agents act on your users' SaaS accounts, safely.
///
/// A connector is one YAML spec (connectors/zendesk.yaml). From it toolwire serves tools to
/// agents (REST, MCP), keeps each customer's credentials in an encrypted vault, routes every
/// call to that customer's own account and tracks when credentials stop working.
///
/// Start here:  toolwire demo          (a simulated Zendesk, two customers, the whole story)
#[derive(Debug, Parser)]
#[command(
    after_long_help = EXIT_CODES,
    name = "toolwire",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Log filter (also RUST_LOG), e.g. `info` or `toolwire_runtime=debug`.
    #[arg(long, global = true, env = "TOOLWIRE_LOG", default_value = "warn")]
    pub log: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the support-assistant story against a built-in Zendesk simulator, then serve REST.
    ///
    /// Needs nothing running and no account anywhere: it starts the simulator (HTTPS, seeded
    /// data), a local vault, connects two customers (acme, globex), lets an assistant triage
    /// urgent tickets, then shows a revoked token being detected and fixed.
    Demo(DemoArgs),
    /// Serve the REST API (connected accounts, tool catalog, execute_tool).
    ///
    /// The master key comes from TOOLWIRE_MASTER_KEY or DATA_DIR/master.key (created on first
    /// start); the API key from TOOLWIRE_API_KEY or DATA_DIR/api.key (created on first start).
    /// Clients send `Authorization: Bearer <api key>`.
    Serve(ServeArgs),
    /// Serve the tools to an MCP client over stdio, acting for one connected account.
    ///
    /// Example (Claude Desktop / any MCP client): toolwire mcp --identifier user_zd_123
    Mcp(mcp::McpArgs),
    /// Check connector specs and generate documentation from them.
    #[command(subcommand)]
    Spec(spec::SpecCommand),
    /// Inspect the tools a connector spec defines and export their definitions for agents.
    #[command(subcommand)]
    Tools(tools::ToolsCommand),
    /// Manage connected accounts on a data directory (list, show, add, recredential, delete, link).
    ///
    /// Example: toolwire accounts list --status REVOKED --json
    #[command(after_long_help = EXIT_CODES)]
    Accounts(accounts::AccountsArgs),
    /// Run one tool for a connected account and print its output as JSON.
    ///
    /// Example: toolwire exec zendesk_ticket_get --identifier user_1 --input '{"ticket_id": 1}'
    #[command(after_long_help = EXIT_CODES)]
    Exec(exec::ExecArgs),
    /// Manage the vault's keys: generate a master key, rotate the data key, rewrap credentials.
    #[command(subcommand, after_long_help = EXIT_CODES)]
    Keys(keys::KeysCommand),
    /// Run the Zendesk simulator alone (for trying the API with curl or your own client).
    Sim(toolwire_sim::SimArgs),
    /// Print the REST API's OpenAPI document (what `GET /openapi.json` serves) as JSON.
    ///
    /// Example: toolwire openapi > clients/openapi.json
    Openapi,
}

/// Runs one command; errors go to stderr with their code, and the exit code follows the
/// error's kind ([`EXIT_CODES`]).
pub fn main(cli: Cli) -> ExitCode {
    // Dropped last, after the async runtime: it exports the spans still queued.
    let _telemetry = crate::telemetry::init(&cli.log, cli.command.otlp_endpoint());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Demo(args) => crate::demo::run(args).await,
            Command::Serve(args) => serve::run(args).await,
            Command::Mcp(args) => mcp::run(args).await,
            Command::Spec(cmd) => spec::run(cmd).await,
            Command::Tools(cmd) => tools::run(cmd),
            Command::Accounts(args) => accounts::run(args).await,
            Command::Exec(args) => exec::run(args).await,
            Command::Keys(cmd) => keys::run(cmd).await,
            Command::Sim(args) => toolwire_sim::run(args).await.map_err(Into::into),
            Command::Openapi => openapi::run(),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ ServerError::Spec(_)) => {
            eprintln!("{e}");
            ExitCode::from(exit_code(&e))
        }
        Err(e) => {
            eprintln!("error [{}]: {e}", e.code());
            if let ServerError::Runtime(r) = &e
                && let Some(url) = r.reconnect_url()
            {
                eprintln!("reconnect at: {url}");
            }
            ExitCode::from(exit_code(&e))
        }
    }
}

/// What the exit codes mean (shown by `--help`).
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  internal error (I/O, store, unexpected)
  2  usage: bad flags or arguments, invalid spec
  3  not found: no such account, tool or connection
  4  invalid input, config or credentials (nothing was sent upstream)
  5  account not usable: REVOKED, EXPIRED, RESTRICTED, DISCONNECTED or PENDING_AUTH, or its
     grant lacks a scope the tool needs (SCOPE_NOT_GRANTED) (reconnect it)
  6  upstream failure: rate limited, timeout, the SaaS API refused or failed, or a write's answer
     was lost (OUTCOME_UNKNOWN: check before repeating it)
  7  vault: missing or wrong master key, undecryptable credentials
  8  spec test: a cassette failed (its diff is printed above)";

/// The exit code for an error (see [`EXIT_CODES`]); runtime, store and vault errors by their
/// typed kind, every kind mapped.
pub fn exit_code(e: &ServerError) -> u8 {
    match e {
        ServerError::Runtime(e) => kind_exit(e.kind()),
        ServerError::Vault(e) => kind_exit(e.kind()),
        ServerError::Store(e) => kind_exit(e.kind()),
        ServerError::Spec(_)
        | ServerError::SpecCheck { .. }
        | ServerError::Usage(_)
        | ServerError::InvalidJson(_)
        | ServerError::InvalidRequest(_) => 2,
        ServerError::NotFound(_) => 3,
        ServerError::ImportFailed { .. } => 4,
        ServerError::CassettesFailed { .. } => 8,
        ServerError::Sim(_)
        | ServerError::Io { .. }
        | ServerError::BodyTooLarge { .. }
        | ServerError::Unauthorized
        | ServerError::MissingIdentifier
        | ServerError::Codegen(_)
        | ServerError::ToolNotAllowed(_)
        | ServerError::Link(_)
        | ServerError::Demo(_)
        | ServerError::Throttled { .. }
        // Answered below the REST handlers (router, extractors), never a command's outcome.
        | ServerError::Http { .. } => 1,
    }
}

/// The exit code for a runtime error's kind.
fn kind_exit(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::SpecInvalid => 2,
        ErrorKind::NotFound => 3,
        ErrorKind::InvalidInput => 4,
        ErrorKind::AccountUnusable | ErrorKind::ScopeNotGranted => 5,
        ErrorKind::Upstream(code) => match code {
            UpstreamErrorCode::NotFound => 3,
            UpstreamErrorCode::UpstreamValidation => 4,
            UpstreamErrorCode::AccountRevoked
            | UpstreamErrorCode::AccountExpired
            | UpstreamErrorCode::AccountRestricted => 5,
            UpstreamErrorCode::RateLimited
            | UpstreamErrorCode::QuotaExceeded
            | UpstreamErrorCode::Forbidden
            | UpstreamErrorCode::Conflict
            | UpstreamErrorCode::UpstreamBadRequest
            | UpstreamErrorCode::UpstreamUnavailable
            | UpstreamErrorCode::UpstreamError => 6,
        },
        ErrorKind::UpstreamAuthFailed
        | ErrorKind::Timeout
        | ErrorKind::Unreachable
        | ErrorKind::OutcomeUnknown => 6,
        ErrorKind::Vault => 7,
        ErrorKind::Authorization
        | ErrorKind::Conflict
        | ErrorKind::SpecMismatch
        | ErrorKind::Store
        | ErrorKind::Internal => 1,
    }
}

impl Command {
    /// `--otlp-endpoint` of the commands that run tools.
    fn otlp_endpoint(&self) -> Option<&str> {
        let runtime = match self {
            Command::Serve(a) => &a.runtime,
            Command::Mcp(a) => &a.runtime,
            Command::Exec(a) => &a.runtime,
            _ => return None,
        };
        runtime.otlp_endpoint.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use toolwire_runtime::store::{AccountStatus, StoreError};
    use toolwire_runtime::vault::VaultError;
    use toolwire_runtime::{Error, error::UpstreamErrorCode as U};

    use super::exit_code;
    use crate::ServerError;

    fn upstream(code: U, status: u16) -> Error {
        Error::Upstream {
            code,
            status,
            message: "m".into(),
            details: None,
            retry_after_s: None,
        }
    }

    /// The HTTP status and exit code of each runtime error: what the string rules chose before
    /// the typed kinds (so the mapping did not move), one row per code family.
    #[test]
    fn runtime_errors_keep_their_status_and_exit_code() {
        let s = |x: &str| x.to_string();
        let rows: Vec<(Error, u16, u8)> = vec![
            (
                Error::InvalidInput {
                    tool: s("t"),
                    problems: vec![],
                },
                400,
                4,
            ),
            (Error::InvalidCredentials { message: s("m") }, 400, 4),
            (Error::UnknownTool { name: s("t") }, 404, 3),
            (
                Error::AccountNotActive {
                    status: AccountStatus::Revoked,
                    message: s("m"),
                    reconnect_url: None,
                },
                409,
                5,
            ),
            (upstream(U::RateLimited, 429), 429, 6),
            (upstream(U::NotFound, 404), 404, 3),
            (upstream(U::Conflict, 409), 409, 6),
            (upstream(U::UpstreamValidation, 422), 422, 4),
            (upstream(U::Forbidden, 403), 403, 6),
            (upstream(U::AccountRevoked, 401), 409, 5),
            (upstream(U::UpstreamBadRequest, 400), 502, 6),
            (upstream(U::UpstreamUnavailable, 503), 502, 6),
            (upstream(U::UpstreamError, 418), 502, 6),
            (
                Error::UpstreamAuthFailed {
                    status: 401,
                    message: s("m"),
                },
                502,
                6,
            ),
            (
                Error::Timeout {
                    connector: s("c"),
                    after_ms: 1,
                },
                504,
                6,
            ),
            (
                Error::Network {
                    connector: s("c"),
                    message: s("m"),
                },
                503,
                6,
            ),
            (
                Error::OutcomeUnknown {
                    connector: s("c"),
                    message: s("m"),
                },
                502,
                6,
            ),
            (Error::OAuthState, 400, 1),
            (
                Error::ScopeNotGranted {
                    tool: s("t"),
                    missing: s("m"),
                },
                409,
                5,
            ),
            (
                Error::SpecMismatch {
                    connector: s("c"),
                    tool: s("t"),
                },
                409,
                1,
            ),
            (Error::Store(StoreError::InvalidPageToken), 400, 4),
            (Error::Store(StoreError::Conflict { what: "w" }), 409, 1),
            (Error::Store(StoreError::KeyNotFound { key_id: 1 }), 500, 7),
            (Error::Vault(VaultError::WrongMasterKey), 500, 7),
            (Error::Internal(s("x")), 500, 1),
        ];
        for (error, status, exit) in rows {
            let code = error.code();
            let e = ServerError::from(error);
            assert_eq!(
                (e.http_status(), exit_code(&e)),
                (StatusCode::from_u16(status).unwrap(), exit),
                "{code}"
            );
        }
        assert_eq!(exit_code(&ServerError::Usage(s("u"))), 2);
        assert_eq!(exit_code(&ServerError::NotFound(s("n"))), 3);
        let import = ServerError::ImportFailed {
            failed: 1,
            total: 2,
        };
        assert_eq!(exit_code(&import), 4);
        assert_eq!(
            exit_code(&ServerError::Vault(Box::new(VaultError::MasterKeyMissing))),
            7
        );
    }
}
