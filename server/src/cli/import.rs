//! `toolwire accounts import FILE.csv`: connect many accounts at once. Each row's credentials are
//! verified live (as `add` does) with a few rows in flight; a progress bar on stderr; one
//! result per row (line, identifier, status or error code + message — never a secret).
//!
//! Columns: `connection`, `identifier`, optional `scheme`, then `config.<key>` and
//! `credentials.<field>` for the connector's config and the scheme's credential fields, e.g.
//! `connection,identifier,config.subdomain,credentials.email,credentials.api_token`.

use std::io::Read as _;
use std::path::Path;

use futures::StreamExt as _;
use serde_json::{Map, Value, json};
use toolwire_runtime::{Credentials, Toolwire};

use crate::error::{Result, ServerError};

/// One row's outcome.
struct RowResult {
    line: u64,
    identifier: String,
    outcome: std::result::Result<String, (String, String)>,
}

/// A parsed row: who, config, credentials.
struct Row {
    line: u64,
    connection: String,
    identifier: String,
    scheme: Option<String>,
    config: Map<String, Value>,
    credentials: Credentials,
}

fn read_rows(file: &Path) -> Result<Vec<Row>> {
    let mut text = String::new();
    if file == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| ServerError::io("read stdin", e))?;
    } else {
        text = std::fs::read_to_string(file)
            .map_err(|e| ServerError::io(format!("read {}", file.display()), e))?;
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ServerError::Usage(format!("CSV header: {e}")))?
        .clone();
    for required in ["connection", "identifier"] {
        if !headers.iter().any(|h| h == required) {
            return Err(ServerError::Usage(format!(
                "the CSV has no `{required}` column (columns: connection, identifier, [scheme], config.<key>..., credentials.<field>...)"
            )));
        }
    }
    if let Some(bad) = headers.iter().find(|h| {
        !matches!(*h, "connection" | "identifier" | "scheme")
            && !h.starts_with("config.")
            && !h.starts_with("credentials.")
    }) {
        return Err(ServerError::Usage(format!(
            "unknown CSV column `{bad}`: use connection, identifier, scheme, config.<key> or credentials.<field>"
        )));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| ServerError::Usage(format!("CSV line {line}: {e}")))?;
        let mut row = Row {
            line,
            connection: String::new(),
            identifier: String::new(),
            scheme: None,
            config: Map::new(),
            credentials: Credentials::new(Map::new()),
        };
        let mut secrets = Map::new();
        for (header, value) in headers.iter().zip(record.iter()) {
            match header {
                "connection" => row.connection = value.to_string(),
                "identifier" => row.identifier = value.to_string(),
                "scheme" if !value.is_empty() => row.scheme = Some(value.to_string()),
                h if h.starts_with("config.") => {
                    row.config.insert(
                        h["config.".len()..].to_string(),
                        Value::String(value.to_string()),
                    );
                }
                h if h.starts_with("credentials.") && !value.is_empty() => {
                    secrets.insert(
                        h["credentials.".len()..].to_string(),
                        Value::String(value.to_string()),
                    );
                }
                _ => {}
            }
        }
        if row.connection.is_empty() || row.identifier.is_empty() {
            return Err(ServerError::Usage(format!(
                "CSV line {line}: connection and identifier are required"
            )));
        }
        row.credentials = Credentials::new(secrets);
        rows.push(row);
    }
    Ok(rows)
}

/// Imports every row; returns an error (exit code 4) when any row failed.
pub async fn run(tw: &Toolwire, file: &Path, concurrency: usize, json_out: bool) -> Result<()> {
    let rows = read_rows(file)?;
    let bar = indicatif::ProgressBar::new(rows.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} importing [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let results: Vec<RowResult> = futures::stream::iter(rows)
        .map(|row| {
            let bar = bar.clone();
            async move {
                let outcome = tw
                    .accounts()
                    .set_credentials(
                        &row.connection,
                        &row.identifier,
                        &row.config,
                        row.scheme.as_deref(),
                        row.credentials,
                    )
                    .await
                    .map(|a| a.status.as_str().to_string())
                    .map_err(|e| (e.code().to_string(), e.to_string()));
                bar.inc(1);
                RowResult {
                    line: row.line,
                    identifier: row.identifier,
                    outcome,
                }
            }
        })
        .buffered(concurrency.max(1))
        .collect()
        .await;
    bar.finish_and_clear();
    let failed = results.iter().filter(|r| r.outcome.is_err()).count();
    if json_out {
        let out: Vec<Value> = results
            .iter()
            .map(|r| match &r.outcome {
                Ok(status) => json!({"line": r.line, "identifier": r.identifier, "status": status}),
                Err((code, message)) => json!({"line": r.line, "identifier": r.identifier, "error": {"code": code, "message": message}}),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        for r in &results {
            match &r.outcome {
                Ok(status) => println!("line {:>5}  {:<24} {status}", r.line, r.identifier),
                Err((code, message)) => {
                    println!("line {:>5}  {:<24} {code}: {message}", r.line, r.identifier)
                }
            }
        }
        eprintln!("{} imported, {failed} failed", results.len() - failed);
    }
    if failed > 0 {
        return Err(ServerError::ImportFailed {
            failed,
            total: results.len(),
        });
    }
    Ok(())
}
