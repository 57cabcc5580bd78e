//! `toolwire exec TOOL --identifier ID --input JSON [--full] [--openai-strict]`: one tool call through the runtime on a
//! data directory; prints the output as JSON (stdout), errors with their code (stderr) and an
//! exit code that says what kind of failure it was.

use serde_json::{Value, json};
use tracing::Instrument as _;

use super::runtime_args::RuntimeArgs;
use crate::error::{Result, ServerError};

/// `toolwire exec` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ExecArgs {
    /// The tool, e.g. `zendesk_ticket_get` (see `toolwire tools list`).
    pub tool: String,
    /// The connected account's identifier.
    #[arg(long)]
    pub identifier: String,
    /// The tool input as a JSON object (`-` reads it from stdin).
    #[arg(long, default_value = "{}")]
    pub input: String,
    /// The connection, when it is not the tool's own connector.
    #[arg(long)]
    pub connection: Option<String>,
    /// Print the tool's whole selected response instead of its projection (the compact shape
    /// models get by default), as REST's `"full": true` does.
    #[arg(long)]
    pub full: bool,
    /// The input is an OpenAI strict-mode model's arguments (a `null` leaves the input unset;
    /// `clear_fields` lists the inputs to clear), as REST's `"input_form": "openai_strict"`.
    #[arg(long)]
    pub openai_strict: bool,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

/// Runs the tool and prints `{data, execution_id, has_more, next_cursor?}`.
pub async fn run(args: ExecArgs) -> Result<()> {
    let text = if args.input == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| ServerError::io("read input from stdin", e))?;
        s
    } else {
        args.input.clone()
    };
    let input: Value = serde_json::from_str(&text)
        .map_err(|e| ServerError::Usage(format!("--input is not valid JSON: {e}")))?;
    if !input.is_object() {
        return Err(ServerError::Usage("--input must be a JSON object".into()));
    }
    let tw = args.runtime.open().await?;
    let input = if args.openai_strict {
        tw.decode_openai_arguments(&args.tool, input)?
    } else {
        input
    };
    // `TRACEPARENT` in the environment makes this call part of the caller's trace.
    let span = crate::telemetry::cli_span(&args.tool, crate::telemetry::from_env());
    let out = crate::metrics::instrument_with(
        &tw,
        "cli",
        args.connection.as_deref(),
        &args.identifier,
        &args.tool,
        input,
        args.full,
    )
    .instrument(span)
    .await;
    tw.flush().await;
    let out = out?;
    let mut body = json!({"data": out.data, "execution_id": out.execution_id.to_string(), "has_more": out.has_more});
    if let Some(c) = out.next_cursor {
        body["next_cursor"] = json!(c);
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&body).unwrap_or_default()
    );
    Ok(())
}
