//! Running a cassette file: one local HTTPS stand-in for the whole file (its certificate names
//! every host the connector reaches for the cassettes' accounts), and per cassette a real
//! [`Toolwire`] on a fresh temporary SQLite store that trusts the stand-in's CA and routes
//! those hosts to it (the runtime's `--resolve` / extra-CA path, as in production). The
//! account's credentials are imported (no live probe), then each step runs through the engine
//! and its exchanges and results are compared with the cassette.

use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde_json::{Map, Value};
use toolwire_runtime::connector::{Connector, Route};
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_spec::{AuthScheme, ConnectorSpec};

use crate::error::{Result, TestkitError};
use crate::matching::{
    contains, describe, describe_expected, json_diff, matches, request_problems,
};
use crate::model::{
    AccountSpec, Cassette, CassetteFile, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    DEFAULT_REDIRECT_URI, Exchange, OAuthStep, Step,
};
use crate::standin::StandIn;

/// The identifier of the account every cassette runs on.
pub const IDENTIFIER: &str = "cassette_user";

/// How one cassette went.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The cassette's name.
    pub name: String,
    /// Why it failed (`None`: it passed).
    pub failure: Option<String>,
    /// How long it took.
    pub elapsed: std::time::Duration,
}

/// How a cassette file went.
#[derive(Debug, Clone)]
pub struct Report {
    /// The cassette file.
    pub file: PathBuf,
    /// One outcome per cassette, in file order.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// Whether every cassette passed.
    pub fn passed(&self) -> bool {
        self.outcomes.iter().all(|o| o.failure.is_none())
    }

    /// The names of the cassettes that failed.
    pub fn failed(&self) -> Vec<&str> {
        self.outcomes
            .iter()
            .filter(|o| o.failure.is_some())
            .map(|o| o.name.as_str())
            .collect()
    }

    /// `ok <name>` / `FAIL <name>` lines, each failure followed by its diff.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for o in &self.outcomes {
            match &o.failure {
                None => out.push_str(&format!("ok   {} ({} ms)\n", o.name, o.elapsed.as_millis())),
                Some(why) => {
                    out.push_str(&format!("FAIL {} ({} ms)\n", o.name, o.elapsed.as_millis()));
                    for line in why.lines() {
                        out.push_str(&format!("     {line}\n"));
                    }
                }
            }
        }
        let failed = self.failed().len();
        out.push_str(&format!(
            "{}: {} passed, {failed} failed\n",
            self.file.display(),
            self.outcomes.len() - failed
        ));
        out
    }
}

/// `connectors/cassettes/<file name>` beside the spec.
pub fn cassettes_beside(spec: &Path) -> PathBuf {
    let dir = spec.parent().unwrap_or(Path::new(""));
    dir.join("cassettes")
        .join(spec.file_name().unwrap_or_default())
}

/// Runs every cassette of `cassettes` (default: [`cassettes_beside`] the spec) against the
/// spec in `spec_path`. Problems with the files are errors; failing cassettes are in the report.
pub async fn run(spec_path: &Path, cassettes: Option<&Path>) -> Result<Report> {
    let spec = toolwire_spec::load_file(spec_path)?;
    let file_path = cassettes
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cassettes_beside(spec_path));
    if !file_path.exists() {
        return Err(TestkitError::NoCassettes {
            spec: spec_path.display().to_string(),
            expected: file_path.display().to_string(),
        });
    }
    let file = crate::load::load_file(&file_path, &spec)?;
    let source = std::fs::read_to_string(spec_path).map_err(|source| TestkitError::Read {
        path: spec_path.display().to_string(),
        source,
    })?;
    // Validated once above; each cassette's runtime gets the prepared spec (no re-validation).
    let connector =
        Connector::new(spec.clone(), &source).map_err(|e| TestkitError::StandIn(e.to_string()))?;
    let hosts = hosts(&connector, &spec, &file);
    let stand_in = StandIn::start(&hosts).await?;
    let mut outcomes = Vec::new();
    for cassette in &file.cassettes {
        let started = std::time::Instant::now();
        let failure = run_cassette(&source, &spec, &file, cassette, &stand_in, &hosts)
            .await
            .err();
        outcomes.push(Outcome {
            name: cassette.name.clone(),
            failure: failure.map(|f| format!("cassette {}: {f}", cassette.name)),
            elapsed: started.elapsed(),
        });
    }
    Ok(Report {
        file: file_path,
        outcomes,
    })
}

/// Every host the cassettes' accounts reach: the base URL and OAuth endpoints rendered with
/// each account's config, plus every host a cassette names.
fn hosts(connector: &Connector, spec: &ConnectorSpec, file: &CassetteFile) -> Vec<String> {
    let mut templates = vec![spec.base_url.clone()];
    for scheme in spec.auth.values() {
        if let AuthScheme::Oauth2AuthorizationCode {
            authorize_url,
            token_url,
            ..
        } = scheme
        {
            templates.push(authorize_url.clone());
            templates.push(token_url.clone());
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut add = |h: &str| {
        let h = h.to_ascii_lowercase();
        if !h.is_empty() && !out.contains(&h) {
            out.push(h);
        }
    };
    for c in &file.cassettes {
        let account = file.account.merged(c.account.as_ref());
        let config = account.config.unwrap_or_default();
        if let Ok(config) = connector.normalize_config(&config) {
            for t in &templates {
                if let Ok(route) = Route::new(t)
                    && let Ok(url) = route.base_url(&config)
                    && let Ok(url) = url::Url::parse(&url)
                    && let Some(h) = url.host_str()
                {
                    add(h);
                }
            }
        }
        for step in &c.steps {
            for x in &step.exchanges {
                if let Some(h) = &x.request.host {
                    add(h);
                }
            }
        }
    }
    out
}

async fn run_cassette(
    source: &str,
    spec: &ConnectorSpec,
    file: &CassetteFile,
    cassette: &Cassette,
    stand_in: &StandIn,
    hosts: &[String],
) -> std::result::Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
    let store = Store::sqlite(dir.path().join("toolwire.db"))
        .await
        .map_err(|e| format!("the temporary store did not open: {e}"))?;
    let mut builder = Toolwire::builder()
        .store(store)
        .master_key(MasterKey::generate())
        .connector(
            Connector::new(spec.clone(), source)
                .map_err(|e| format!("the connector did not load: {e}"))?,
        )
        .extra_root_pem(stand_in.ca_pem());
    for h in hosts {
        builder = builder.resolve_suffix(h.clone(), stand_in.addr());
    }
    if spec
        .auth
        .values()
        .any(|s| matches!(s, AuthScheme::Oauth2AuthorizationCode { .. }))
    {
        let (id, secret) = file
            .oauth_client
            .as_ref()
            .map_or((DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET), |c| {
                (c.client_id.as_str(), c.client_secret.as_str())
            });
        builder = builder.oauth_client(
            spec.connector.clone(),
            id,
            SecretString::from(secret.to_string()),
        );
    }
    let tw = builder
        .build()
        .await
        .map_err(|e| format!("the runtime did not start: {e}"))?;
    let account = file.account.merged(cassette.account.as_ref());
    let config = account.config.clone().unwrap_or_default();
    if let Some(creds) = &account.credentials {
        tw.accounts()
            .import_credentials(
                &spec.connector,
                IDENTIFIER,
                &config,
                account.auth.as_deref(),
                Credentials::new(creds.clone()),
            )
            .await
            .map_err(|e| format!("the account could not be imported: {e}"))?;
    }
    for (i, step) in cassette.steps.iter().enumerate() {
        run_step(&tw, spec, &account, step, stand_in)
            .await
            .map_err(|why| format!("step {} ({}): {why}", i + 1, label(step)))?;
    }
    tw.flush().await;
    Ok(())
}

fn label(step: &Step) -> String {
    match (&step.call, &step.oauth) {
        (Some(c), _) => format!("call {}", c.tool),
        (None, Some(OAuthStep::Refresh(_))) => "oauth refresh".into(),
        _ => "oauth exchange".into(),
    }
}

/// What a step returned: a tool output, or an account (OAuth steps).
enum Produced {
    Output(toolwire_runtime::ToolOutput),
    Account,
}

async fn run_step(
    tw: &Toolwire,
    spec: &ConnectorSpec,
    account: &AccountSpec,
    step: &Step,
    stand_in: &StandIn,
) -> std::result::Result<(), String> {
    stand_in.script(step.exchanges.iter().map(|x| x.response.clone()).collect());
    let result: std::result::Result<Produced, toolwire_runtime::Error> =
        match (&step.call, &step.oauth) {
            (Some(call), _) => tw
                .execute_tool(IDENTIFIER, &call.tool, call.input.clone())
                .await
                .map(Produced::Output),
            (None, Some(OAuthStep::Refresh(_))) => tw
                .oauth()
                .refresh_now(&spec.connector, IDENTIFIER)
                .await
                .map(|_| Produced::Account),
            (None, Some(OAuthStep::Exchange { exchange })) => {
                let config = account.config.clone().unwrap_or_default();
                let redirect = exchange
                    .redirect_uri
                    .as_deref()
                    .unwrap_or(DEFAULT_REDIRECT_URI);
                oauth_exchange(tw, &spec.connector, &config, redirect, &exchange.code)
                    .await
                    .map(|_| Produced::Account)
            }
            (None, None) => return Err("the step does nothing".into()),
        };
    let mut problems = exchange_problems(&stand_in.received(), &step.exchanges);
    problems.extend(result_problems(&result, step));
    if let Some(want) = &step.expect.account_status {
        match tw.accounts().get(&spec.connector, IDENTIFIER).await {
            Ok(Some(a)) if a.status.as_str() == want => {}
            Ok(Some(a)) => problems.push(format!(
                "account status: expected {want}, got {} ({})",
                a.status,
                a.status_message.unwrap_or_default()
            )),
            Ok(None) => problems.push(format!(
                "account status: expected {want}, there is no account"
            )),
            Err(e) => problems.push(format!("account status: cannot read the account: {e}")),
        }
    }
    if let Some(want) = &step.expect.credentials {
        let stored = match tw.accounts().get(&spec.connector, IDENTIFIER).await {
            Ok(Some(a)) => tw.vault().unseal_account(&a).ok().flatten(),
            _ => None,
        };
        let stored = stored.map(|c| Value::Object(c.expose_json().clone()));
        let want = Value::Object(want.clone());
        match stored {
            Some(got) if contains(&got, &want) => {}
            Some(got) => {
                // Show only the expected fields: the others may be real-looking secrets.
                let shown: Map<String, Value> = want
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| (k.clone(), got.get(k).cloned().unwrap_or(Value::Null)))
                    .collect();
                problems.push(format!(
                    "stored credentials differ:\n{}",
                    json_diff(&want, &Value::Object(shown))
                ));
            }
            None => problems.push("stored credentials: the account has none".into()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

async fn oauth_exchange(
    tw: &Toolwire,
    connection: &str,
    config: &Map<String, Value>,
    redirect: &str,
    code: &str,
) -> toolwire_runtime::Result<toolwire_runtime::AccountRecord> {
    let request = tw
        .oauth()
        .start(connection, IDENTIFIER, config, redirect)
        .await?;
    let state = url::Url::parse(&request.url)
        .ok()
        .and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "state")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    tw.oauth().complete(&state, code).await
}

fn exchange_problems(got: &[crate::standin::Received], want: &[Exchange]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..got.len().max(want.len()) {
        match (got.get(i), want.get(i)) {
            (Some(g), Some(w)) => {
                let p = request_problems(g, &w.request);
                if !p.is_empty() {
                    out.push(format!("exchange {}: {}", i + 1, p.join("\n")));
                }
            }
            (Some(g), None) => out.push(format!(
                "exchange {}: an extra request the cassette does not list: {}",
                i + 1,
                describe(g)
            )),
            (None, Some(w)) => out.push(format!(
                "exchange {}: expected {}, no request was made",
                i + 1,
                describe_expected(&w.request)
            )),
            (None, None) => {}
        }
    }
    out
}

fn result_problems(
    result: &std::result::Result<Produced, toolwire_runtime::Error>,
    step: &Step,
) -> Vec<String> {
    let expect = &step.expect;
    let mut out = Vec::new();
    match (result, &expect.error) {
        (Ok(produced), None) => {
            if let Produced::Output(o) = produced {
                if let Some(want) = &expect.output
                    && !matches(&o.data, want)
                {
                    out.push(format!("output differs:\n{}", json_diff(want, &o.data)));
                }
                if let Some(want) = &expect.next_cursor
                    && o.next_cursor.as_deref() != Some(want.as_str())
                {
                    out.push(format!(
                        "next_cursor: expected {want:?}, got {:?}",
                        o.next_cursor
                    ));
                }
                if let Some(want) = expect.has_more
                    && o.has_more != want
                {
                    out.push(format!("has_more: expected {want}, got {}", o.has_more));
                }
            }
        }
        (Ok(_), Some(want)) => out.push(format!(
            "expected the error {}, the step succeeded",
            want.code
        )),
        (Err(e), None) => out.push(format!("unexpected error [{}]: {e}", e.code())),
        (Err(e), Some(want)) => {
            if e.code() != want.code {
                out.push(format!(
                    "error: expected {}, got [{}]: {e}",
                    want.code,
                    e.code()
                ));
            }
            if let Some(s) = want.retry_after_s
                && e.retry_after_s() != Some(s)
            {
                out.push(format!(
                    "retry_after_s: expected {s}, got {:?}",
                    e.retry_after_s()
                ));
            }
            if let Some(d) = &want.details {
                let got = e.details().unwrap_or(Value::Null);
                if !contains(&got, d) {
                    out.push(format!("error details differ:\n{}", json_diff(d, &got)));
                }
            }
            if let Some(text) = &want.message_contains
                && !e.to_string().contains(text.as_str())
            {
                out.push(format!(
                    "error message: expected it to contain {text:?}, got {:?}",
                    e.to_string()
                ));
            }
        }
    }
    out
}
