//! Reliability under load with faults: the real `toolwire serve` binary (a child process with a
//! SQLite data dir) answers `POST /v1/execute_tool` for 32 concurrent clients while the
//! simulator (HTTPS, 8 tenants) fails a share of requests with 500, 503 + `Retry-After`,
//! 429 + `Retry-After`, adds latency, and resets connections both before a request is handled
//! (`drop`) and after its write was committed (`drop_after`: the client cannot tell whether
//! the write happened).
//!
//! What it proves, exactly (the only bound on a measurement is the memory one):
//! - **no lost or doubled write**: every ticket create — retried by the client with the same
//!   `idempotency_key` while the error is retryable — is acknowledged and exists in the sim
//!   exactly once, under the ticket id the client was given; internal notes (no idempotency
//!   key, so nobody may retry them) exist exactly once when acknowledged, at most once when not;
//! - **audit**: after SIGTERM — sent while a last burst of calls is in flight — the
//!   `executions` table holds one row per answer the clients got (per identifier and per error
//!   code), and `/metrics` counted the same number of calls;
//! - **no crash**: the server is alive and ready after the load, exits 0 on SIGTERM, never drops
//!   a client connection, and every error answer is a mapped upstream error (stable code, the
//!   status that code maps to; no bare 5xx);
//! - **memory flat**: VmRSS and anonymous RSS sampled after each round do not grow after the
//!   warm-up rounds beyond a bound a per-call leak would cross (see [`assert_memory_flat`]).
//!
//! Every figure is printed with `eprintln!` (`cargo test -p toolwire-server --test
//! reliability_load -- --nocapture`).
//!
//! Linux only (memory comes from /proc/PID/status).

#![cfg(target_os = "linux")]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use futures::StreamExt as _;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use serde_json::{Value, json};
use toolwire_runtime::{AccountFilter, Store};
use toolwire_sim::{FaultKind, FaultSpec, Sim};

use common::API_KEY;
use common::process::{Memory, ServerProcess};

const TENANTS: usize = 8;
const ACCOUNTS_PER_TENANT: usize = 5;
const CLIENTS: usize = 32;
const ROUNDS: usize = 8;
/// Rounds before memory has to be flat (the first half).
const WARMUP_ROUNDS: usize = ROUNDS / 2;
const OPS_PER_CLIENT_PER_ROUND: usize = 12;
/// Seeded tickets per tenant; 1–3 are open (notes go there), all can be read.
const SEEDED_TICKETS: usize = 5;
const NOTE_TICKETS: u64 = 3;
/// A create still unacknowledged after this many client attempts counts as lost.
const MAX_CREATE_ATTEMPTS: u32 = 60;
/// Reads sent at once at the end; SIGTERM arrives while most are in flight.
const FINAL_BURST: usize = 64;
const BURST_ANSWERS_BEFORE_SIGTERM: usize = 8;
/// Growth allowed after the warm-up, (percent, KiB): see [`assert_memory_flat`].
const ANON_SLACK: (u64, u64) = (10, 4 * 1024);
const RSS_SLACK: (u64, u64) = (25, 8 * 1024);
/// Codes a client may retry (with the same idempotency key).
const RETRYABLE: [&str; 3] = ["RATE_LIMITED", "UPSTREAM_UNAVAILABLE", "TIMEOUT"];
/// A write without an idempotency key whose answer was lost: it may have been applied.
const OUTCOME_UNKNOWN: &str = "OUTCOME_UNKNOWN";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_under_load_with_faults_loses_no_write_and_stays_flat() {
    let started = Instant::now();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tenants: Vec<String> = (0..TENANTS).map(|i| format!("load{i}")).collect();
    let sim = Sim::builder()
        .seed(42)
        .tenants(tenants.clone())
        .tickets_per_tenant(SEEDED_TICKETS)
        .rate_limit(100_000_000) // only injected faults limit the rate
        .start()
        .await
        .expect("sim starts");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut server = ServerProcess::start(&sim, dir.path()).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client");
    let accounts = connect_accounts(&http, &server.base, &sim, &tenants).await;
    let rss_connected = server.rss_kib();
    eprintln!(
        "connected {} accounts on {TENANTS} tenants through POST /v1/connected_accounts (verified live); server RSS {rss_connected} KiB",
        accounts.len()
    );

    inject_faults(&sim);
    let ctx = Arc::new(LoadCtx {
        http: http.clone(),
        base: server.base.clone(),
        accounts,
        run: uuid::Uuid::new_v4().simple().to_string()[..8].to_string(),
    });
    let load_started = Instant::now();
    let (mut report, rss) = run_load(&ctx, &server).await;
    let load_wall = load_started.elapsed();
    let rss_detail = server.rss_detail();
    let faults = sim.faults();
    sim.clear_faults();

    // Alive and ready after the load; the server's own counter agrees with the clients.
    assert!(
        server.child.try_wait().expect("try_wait").is_none(),
        "the server exited during the load: {}",
        server.log_tail()
    );
    let ready = http.get(format!("{}/readyz", server.base)).send().await;
    let ready = ready.map(|r| r.status().as_u16()).unwrap_or(0);
    let metric_calls = metric_calls(&http, &server.base).await;
    let answers_before_burst = report.answers.len();

    // SIGTERM in the middle of a burst: what was accepted is answered and audited.
    let (burst, exit) = burst_then_sigterm(&ctx, &mut server).await;
    let burst_refused = burst.transport_errors.len();
    let burst_answers = burst.answers.len();
    report.answers.extend(burst.answers);
    let db = dir.path().join("data/toolwire.db");
    let db_kib = file_kib(&db) + file_kib(&db.with_extension("db-wal"));
    let audit = audit_rows(&db).await;
    let found = SimWrites::read(&sim, &tenants).await;

    print_figures(&Figures {
        report: &report,
        faults: &faults,
        rss_connected,
        rss: &rss,
        burst_answers,
        burst_refused,
        rss_detail: &rss_detail,
        db_kib,
        audit: &audit,
        found: &found,
        metric_calls,
        answers_before_burst,
        load_wall,
        total_wall: started.elapsed(),
    });

    assert_eq!(ready, 200, "/readyz after the load");
    assert!(
        exit.success(),
        "SIGTERM must stop the server cleanly, got {exit}: {}",
        server.log_tail()
    );
    assert_no_client_failures(&report);
    assert!(
        burst_answers >= BURST_ANSWERS_BEFORE_SIGTERM,
        "burst answers before SIGTERM"
    );
    assert_every_error_is_mapped(&report);
    assert_creates_exactly_once(&report, &found);
    assert_notes_at_most_once(&report, &found);
    assert_eq!(
        metric_calls, answers_before_burst as u64,
        "toolwire_tool_calls_total vs answers received"
    );
    assert_audit_matches(&report, &audit);
    assert_memory_flat(&rss);
}

// ---------------------------------------------------------------------------------------------
// The server process

// ---------------------------------------------------------------------------------------------
// Setup: accounts and faults

#[derive(Debug, Clone)]
struct Account {
    identifier: String,
    tenant: String,
}

/// Connects ACCOUNTS_PER_TENANT identifiers per tenant, each with one of the tenant's agents
/// (admin included), through the REST API with live verification.
async fn connect_accounts(
    http: &reqwest::Client,
    base: &str,
    sim: &Sim,
    tenants: &[String],
) -> Vec<Account> {
    let mut requests = Vec::new();
    for sub in tenants {
        let info = sim.tenant(sub).expect("tenant");
        for k in 0..ACCOUNTS_PER_TENANT {
            let agent = &info.agents[k % info.agents.len()];
            let account = Account {
                identifier: format!("{sub}_user{k}"),
                tenant: sub.clone(),
            };
            let body = json!({
                "connection_name": "zendesk",
                "identifier": account.identifier,
                "config": {"subdomain": sub},
                "credentials": {"email": agent.email, "api_token": agent.api_token},
            });
            requests.push((account, body));
        }
    }
    let url = format!("{base}/v1/connected_accounts");
    futures::stream::iter(requests)
        .map(|(account, body)| {
            let req = http.post(&url).bearer_auth(API_KEY).json(&body);
            async move {
                let resp = req.send().await.expect("connect request");
                let status = resp.status().as_u16();
                let v: Value = resp.json().await.expect("connect JSON");
                assert_eq!(
                    (status, v["status"].as_str()),
                    (200, Some("ACTIVE")),
                    "connect {}: {}",
                    account.identifier,
                    v["error"]["code"]
                );
                account
            }
        })
        .buffer_unordered(8)
        .collect()
        .await
}

/// The load phase's faults, on API paths only (the verification afterwards runs without them).
/// Rules are checked in this order; at most one that replaces or drops the answer fires.
fn inject_faults(sim: &Sim) {
    let api = |kind: FaultKind, share: f64| FaultSpec {
        kind,
        count: None,
        share: Some(share),
        tenant: None,
        method: None,
        path_prefix: Some("/api/v2/".into()),
    };
    sim.inject_fault(api(FaultKind::Latency { ms: 40 }, 0.10));
    sim.inject_fault(api(
        FaultKind::Status {
            status: 500,
            retry_after: None,
        },
        0.04,
    ));
    sim.inject_fault(api(
        FaultKind::Status {
            status: 503,
            retry_after: Some(1),
        },
        0.015,
    ));
    sim.inject_fault(api(FaultKind::RateLimit { retry_after: 1 }, 0.015));
    sim.inject_fault(api(FaultKind::Drop, 0.02));
    // Writes: committed, then the answer is lost.
    sim.inject_fault(api(FaultKind::DropAfter, 0.08).method("POST"));
    sim.inject_fault(api(FaultKind::DropAfter, 0.08).method("PUT"));
}

// ---------------------------------------------------------------------------------------------
// Load

struct LoadCtx {
    http: reqwest::Client,
    base: String,
    accounts: Vec<Account>,
    /// Makes this run's markers unique.
    run: String,
}

/// One execute_tool answer as the client saw it.
#[derive(Debug, Clone)]
struct Answer {
    identifier: String,
    tool: &'static str,
    status: u16,
    /// `None` for 200.
    code: Option<String>,
    retry_after_s: Option<u64>,
}

/// A logical create (one marker, one idempotency key, any number of attempts).
#[derive(Debug, Clone)]
struct Create {
    tenant: String,
    marker: String,
    attempts: u32,
    /// The ticket id of the acknowledgement.
    acked: Option<u64>,
}

/// One note (one attempt, never retried).
#[derive(Debug, Clone)]
struct Note {
    tenant: String,
    ticket: u64,
    marker: String,
    acked: bool,
    /// The error code when not acknowledged (`None` for no answer at all).
    code: Option<String>,
}

#[derive(Debug, Default)]
struct Report {
    answers: Vec<Answer>,
    creates: Vec<Create>,
    notes: Vec<Note>,
    /// Requests to our server that got no HTTP answer (must be none).
    transport_errors: Vec<String>,
    /// Answers whose content was not what the tool promises (must be none).
    unexpected: Vec<String>,
}

impl Report {
    fn merge(&mut self, other: Report) {
        self.answers.extend(other.answers);
        self.creates.extend(other.creates);
        self.notes.extend(other.notes);
        self.transport_errors.extend(other.transport_errors);
        self.unexpected.extend(other.unexpected);
    }

    fn merge_all(&mut self, reports: Vec<Report>) {
        for r in reports {
            self.merge(r);
        }
    }
}

/// What execute_tool gave back.
enum Outcome {
    Ok(Value),
    Failed {
        code: String,
        retry_after_s: Option<u64>,
    },
    NoAnswer,
}

/// ROUNDS rounds of CLIENTS clients; the server's memory is sampled after each round, with no
/// request in flight.
async fn run_load(ctx: &Arc<LoadCtx>, server: &ServerProcess) -> (Report, Vec<Memory>) {
    let mut report = Report::default();
    let mut samples = Vec::new();
    for round in 0..ROUNDS {
        let started = Instant::now();
        let before = report.answers.len();
        report.merge_all(run_round(ctx, round).await);
        tokio::time::sleep(Duration::from_millis(300)).await; // the ledger's batch
        let m = server.memory();
        samples.push(m);
        eprintln!(
            "round {}: {} answers in {:.1} s, server VmRSS {} KiB (anon {} KiB)",
            round + 1,
            report.answers.len() - before,
            started.elapsed().as_secs_f64(),
            m.rss_kib,
            m.anon_kib
        );
    }
    (report, samples)
}

async fn run_round(ctx: &Arc<LoadCtx>, round: usize) -> Vec<Report> {
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let ctx = ctx.clone();
            tokio::spawn(async move { run_client(&ctx, round, client).await })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("client task"));
    }
    out
}

/// One client's ops for one round: 40% ticket get, 15% search, 30% create, 15% note.
async fn run_client(ctx: &LoadCtx, round: usize, client: usize) -> Report {
    let mut rng = StdRng::seed_from_u64((round * CLIENTS + client) as u64);
    let mut report = Report::default();
    for i in 0..OPS_PER_CLIENT_PER_ROUND {
        let account = &ctx.accounts[rng.random_range(0..ctx.accounts.len())];
        let marker = format!("twload-{}-r{round}c{client}i{i}", ctx.run);
        match rng.random_range(0..100) {
            0..40 => {
                let id = rng.random_range(1..=SEEDED_TICKETS as u64);
                get_ticket(ctx, account, id, &mut report).await;
            }
            40..55 => search(ctx, account, &mut report).await,
            55..85 => create_ticket(ctx, account, &marker, &mut report).await,
            _ => {
                let ticket = rng.random_range(1..=NOTE_TICKETS);
                add_note(ctx, account, ticket, &marker, &mut report).await;
            }
        }
    }
    report
}

async fn get_ticket(ctx: &LoadCtx, account: &Account, id: u64, report: &mut Report) {
    let input = json!({"ticket_id": id});
    if let Outcome::Ok(data) = execute(ctx, account, "zendesk_ticket_get", input, report).await
        && data["ticket"]["id"].as_u64() != Some(id)
    {
        report.unexpected.push(format!(
            "ticket_get {id} answered ticket {}",
            data["ticket"]["id"]
        ));
    }
}

async fn search(ctx: &LoadCtx, account: &Account, report: &mut Report) {
    let input = json!({"query": "status:open", "per_page": 5});
    if let Outcome::Ok(data) = execute(ctx, account, "zendesk_search_tickets", input, report).await
        && !data["results"].is_array()
    {
        report
            .unexpected
            .push("search answered without results".into());
    }
}

/// Creates one ticket, retrying with the same idempotency key while the error is retryable.
async fn create_ticket(ctx: &LoadCtx, account: &Account, marker: &str, report: &mut Report) {
    let input = json!({
        "subject": marker,
        "comment_body": format!("created by the load test ({marker})"),
        "idempotency_key": marker,
        "tags": ["twload"],
    });
    let mut create = Create {
        tenant: account.tenant.clone(),
        marker: marker.to_string(),
        attempts: 0,
        acked: None,
    };
    while create.attempts < MAX_CREATE_ATTEMPTS {
        create.attempts += 1;
        let tool = "zendesk_ticket_create";
        match execute(ctx, account, tool, input.clone(), report).await {
            Outcome::Ok(data) => {
                create.acked = data["id"].as_u64();
                if data["subject"].as_str() != Some(marker) {
                    report
                        .unexpected
                        .push(format!("create {marker} answered {}", data["subject"]));
                }
                break;
            }
            Outcome::Failed {
                code,
                retry_after_s,
            } if RETRYABLE.contains(&code.as_str()) => {
                tokio::time::sleep(retry_wait(retry_after_s, create.attempts)).await;
            }
            // Safe to retry with the key, but counted as a failure of our server.
            Outcome::NoAnswer => tokio::time::sleep(Duration::from_millis(100)).await,
            Outcome::Failed { code, .. } => {
                report
                    .unexpected
                    .push(format!("create {marker}: non-retryable {code}"));
                break;
            }
        }
    }
    report.creates.push(create);
}

/// `retry_after_s` when the server gave one (capped so a surprise cannot stall the test),
/// else a short growing backoff.
fn retry_wait(retry_after_s: Option<u64>, attempt: u32) -> Duration {
    match retry_after_s {
        Some(s) => Duration::from_secs(s.min(2)),
        None => Duration::from_millis(25 * u64::from(attempt.min(8))),
    }
}

/// Adds one internal note; never retried (the tool has no idempotency key).
async fn add_note(
    ctx: &LoadCtx,
    account: &Account,
    ticket: u64,
    marker: &str,
    report: &mut Report,
) {
    let input = json!({"ticket_id": ticket, "body": marker, "public": false});
    let (acked, failure) = match execute(ctx, account, "zendesk_ticket_reply", input, report).await
    {
        Outcome::Ok(data) => {
            if data["id"].as_u64() != Some(ticket) {
                report
                    .unexpected
                    .push(format!("note on {ticket} answered ticket {}", data["id"]));
            }
            (true, None)
        }
        Outcome::Failed { code, .. }
            if RETRYABLE.contains(&code.as_str()) || code == OUTCOME_UNKNOWN =>
        {
            (false, Some(code))
        }
        Outcome::Failed { code, .. } => {
            report
                .unexpected
                .push(format!("note {marker}: non-retryable {code}"));
            (false, Some(code))
        }
        Outcome::NoAnswer => (false, None),
    };
    report.notes.push(Note {
        tenant: account.tenant.clone(),
        ticket,
        marker: marker.to_string(),
        acked,
        code: failure,
    });
}

/// `POST /v1/execute_tool`; records the answer (or its absence) in `report`.
async fn execute(
    ctx: &LoadCtx,
    account: &Account,
    tool: &'static str,
    input: Value,
    report: &mut Report,
) -> Outcome {
    let body = json!({"identifier": account.identifier, "tool_name": tool, "tool_input": input});
    let sent = ctx
        .http
        .post(format!("{}/v1/execute_tool", ctx.base))
        .bearer_auth(API_KEY)
        .json(&body)
        .send()
        .await;
    let resp = match sent {
        Ok(r) => r,
        Err(e) => {
            report.transport_errors.push(format!("{tool}: {e}"));
            return Outcome::NoAnswer;
        }
    };
    let status = resp.status().as_u16();
    let v: Value = match resp.json().await {
        Ok(v) => v,
        Err(e) => {
            report
                .transport_errors
                .push(format!("{tool}: HTTP {status} without a JSON body: {e}"));
            return Outcome::NoAnswer;
        }
    };
    let code = (status != 200).then(|| {
        v["error"]["code"]
            .as_str()
            .unwrap_or("<no code>")
            .to_string()
    });
    let retry_after_s = v["error"]["retry_after_s"].as_u64();
    report.answers.push(Answer {
        identifier: account.identifier.clone(),
        tool,
        status,
        code: code.clone(),
        retry_after_s,
    });
    match code {
        None => Outcome::Ok(v["data"].clone()),
        Some(code) => Outcome::Failed {
            code,
            retry_after_s,
        },
    }
}

/// FINAL_BURST ticket reads at once (faults cleared); SIGTERM goes out as soon as
/// BURST_ANSWERS_BEFORE_SIGTERM of them are answered, so most are in flight or not yet
/// accepted when the server starts shutting down. What it accepted must still be answered and
/// audited (their rows are the last in the ledger's queue); the rest fail to connect.
async fn burst_then_sigterm(
    ctx: &Arc<LoadCtx>,
    server: &mut ServerProcess,
) -> (Report, std::process::ExitStatus) {
    let mut pending: futures::stream::FuturesUnordered<_> = (0..FINAL_BURST)
        .map(|i| {
            let ctx = ctx.clone();
            tokio::spawn(async move {
                let mut report = Report::default();
                let account = &ctx.accounts[i % ctx.accounts.len()];
                get_ticket(&ctx, account, 1, &mut report).await;
                report
            })
        })
        .collect();
    let mut report = Report::default();
    for _ in 0..BURST_ANSWERS_BEFORE_SIGTERM {
        report.merge(pending.next().await.expect("burst").expect("burst task"));
    }
    server.send_sigterm().await;
    while let Some(done) = pending.next().await {
        report.merge(done.expect("burst task"));
    }
    (report, server.wait_exit().await)
}

/// Sum of `toolwire_tool_calls_total` over all label sets.
async fn metric_calls(http: &reqwest::Client, base: &str) -> u64 {
    let text = http
        .get(format!("{base}/metrics"))
        .bearer_auth(API_KEY)
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    text.lines()
        .filter(|l| l.starts_with("toolwire_tool_calls_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

// ---------------------------------------------------------------------------------------------
// Reading back: the audit table and the sim's tickets

#[derive(Debug, Default)]
struct Audit {
    rows: usize,
    by_identifier: BTreeMap<String, usize>,
    /// Error code, or `ok`.
    by_code: BTreeMap<String, usize>,
    most_rows_per_account: usize,
}

/// Counts `executions` rows through the store API (after the server exited). The per-account
/// listing is capped at 1,000 rows, so each account must stay below that for an exact count.
async fn audit_rows(db: &Path) -> Audit {
    let store = Store::sqlite(db).await.expect("open the server's store");
    let mut audit = Audit::default();
    let mut token: Option<String> = None;
    loop {
        let page = store
            .list_accounts(&AccountFilter::default(), token.as_deref(), 1000)
            .await
            .expect("list accounts");
        for account in &page.accounts {
            let rows = store
                .list_executions(Some(account.id), 1000)
                .await
                .expect("list executions");
            assert!(rows.len() < 1000, "listing capped: count not exact");
            audit.most_rows_per_account = audit.most_rows_per_account.max(rows.len());
            audit.rows += rows.len();
            *audit
                .by_identifier
                .entry(account.identifier.clone())
                .or_default() += rows.len();
            for r in rows {
                let code = r.error_code.unwrap_or_else(|| "ok".into());
                *audit.by_code.entry(code).or_default() += 1;
            }
        }
        match page.next_page_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    store.close().await;
    audit
}

/// What the sim holds, read with each tenant's admin token over its Zendesk API.
#[derive(Debug, Default)]
struct SimWrites {
    /// (tenant, subject) → ticket ids with that subject.
    tickets: HashMap<(String, String), Vec<u64>>,
    /// (tenant, ticket, body) → how many comments have that body.
    comments: HashMap<(String, u64, String), usize>,
    tickets_read: usize,
    comments_read: usize,
}

impl SimWrites {
    async fn read(sim: &Sim, tenants: &[String]) -> SimWrites {
        let reader = SimReader::new(sim, tenants);
        let mut out = SimWrites::default();
        for sub in tenants {
            let admin = sim.tenant(sub).expect("tenant");
            let admin = admin.admin().expect("admin");
            let auth = basic(&admin.email, &admin.api_token);
            for t in reader.tickets(sub, &auth).await {
                out.tickets_read += 1;
                let subject = t["subject"].as_str().unwrap_or_default().to_string();
                let id = t["id"].as_u64().expect("ticket id");
                out.tickets
                    .entry((sub.clone(), subject))
                    .or_default()
                    .push(id);
            }
            for ticket in 1..=NOTE_TICKETS {
                for c in reader.comments(sub, &auth, ticket).await {
                    out.comments_read += 1;
                    let body = c["body"].as_str().unwrap_or_default().to_string();
                    *out.comments.entry((sub.clone(), ticket, body)).or_default() += 1;
                }
            }
        }
        out
    }

    fn ticket_ids(&self, tenant: &str, subject: &str) -> &[u64] {
        self.tickets
            .get(&(tenant.to_string(), subject.to_string()))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn note_count(&self, note: &Note) -> usize {
        let key = (note.tenant.clone(), note.ticket, note.marker.clone());
        self.comments.get(&key).copied().unwrap_or(0)
    }
}

/// An HTTPS client trusting the sim's CA, resolving every tenant host to the sim.
struct SimReader {
    http: reqwest::Client,
    port: u16,
}

impl SimReader {
    fn new(sim: &Sim, tenants: &[String]) -> SimReader {
        let mut roots = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_slice_iter(sim.ca_pem().as_bytes()) {
            roots.add(c.expect("CA PEM")).expect("CA root");
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
        let mut b = reqwest::Client::builder().tls_backend_preconfigured(tls);
        for sub in tenants {
            b = b.resolve(&format!("{sub}.zendesk.com"), sim.addr());
        }
        SimReader {
            http: b.build().expect("sim client"),
            port: sim.addr().port(),
        }
    }

    async fn get(&self, sub: &str, path_and_query: &str, auth: &str) -> Value {
        let url = format!("https://{sub}.zendesk.com:{}{path_and_query}", self.port);
        let resp = self
            .http
            .get(&url)
            .header("authorization", auth)
            .send()
            .await
            .expect("sim request");
        assert_eq!(resp.status(), 200, "sim GET {path_and_query}");
        resp.json().await.expect("sim JSON")
    }

    /// Every ticket of the tenant (offset pages of 100).
    async fn tickets(&self, sub: &str, auth: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for page in 1.. {
            let path = format!("/api/v2/tickets.json?per_page=100&page={page}");
            let v = self.get(sub, &path, auth).await;
            out.extend(v["tickets"].as_array().cloned().unwrap_or_default());
            if v["next_page"].is_null() {
                break;
            }
        }
        out
    }

    /// Every comment of a ticket (cursor pages of 100).
    async fn comments(&self, sub: &str, auth: &str, ticket: u64) -> Vec<Value> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut path = format!("/api/v2/tickets/{ticket}/comments.json?page[size]=100");
            if let Some(a) = &after {
                path.push_str(&format!("&page[after]={a}"));
            }
            let v = self.get(sub, &path, auth).await;
            out.extend(v["comments"].as_array().cloned().unwrap_or_default());
            match (
                v["meta"]["has_more"].as_bool(),
                v["meta"]["after_cursor"].as_str(),
            ) {
                (Some(true), Some(c)) => after = Some(c.to_string()),
                _ => break,
            }
        }
        out
    }
}

fn file_kib(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len() / 1024).unwrap_or(0)
}

fn basic(email: &str, token: &str) -> String {
    let raw = format!("{email}/token:{token}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

// ---------------------------------------------------------------------------------------------
// Figures and assertions

struct Figures<'a> {
    report: &'a Report,
    faults: &'a [toolwire_sim::faults::FaultRule],
    rss_connected: u64,
    rss: &'a [Memory],
    burst_answers: usize,
    burst_refused: usize,
    rss_detail: &'a str,
    db_kib: u64,
    audit: &'a Audit,
    found: &'a SimWrites,
    metric_calls: u64,
    answers_before_burst: usize,
    load_wall: Duration,
    total_wall: Duration,
}

fn print_figures(f: &Figures<'_>) {
    let r = f.report;
    let mut by_code: BTreeMap<(&str, u16), usize> = BTreeMap::new();
    let mut by_tool: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &r.answers {
        *by_code
            .entry((a.code.as_deref().unwrap_or("ok"), a.status))
            .or_default() += 1;
        *by_tool.entry(a.tool).or_default() += 1;
    }
    let attempts: u32 = r.creates.iter().map(|c| c.attempts).sum();
    let acked_notes = r.notes.iter().filter(|n| n.acked).count();
    let unacked_written = r
        .notes
        .iter()
        .filter(|n| !n.acked && f.found.note_count(n) == 1)
        .count();
    eprintln!("== server under load with faults ==");
    eprintln!(
        "load: {} clients x {ROUNDS} rounds x {OPS_PER_CLIENT_PER_ROUND} ops; {} answers in {:.1} s ({:.0}/s); {} transport errors; {} unexpected answers",
        CLIENTS,
        r.answers.len(),
        f.load_wall.as_secs_f64(),
        f.answers_before_burst as f64 / f.load_wall.as_secs_f64(),
        r.transport_errors.len(),
        r.unexpected.len()
    );
    eprintln!("answers by tool: {by_tool:?}");
    eprintln!("answers by (code, HTTP status): {by_code:?}");
    for rule in f.faults {
        eprintln!(
            "fault {:?} method={:?} share={:?}: applied {}",
            rule.spec.kind, rule.spec.method, rule.spec.share, rule.applied
        );
    }
    eprintln!(
        "creates: {} logical, {} acknowledged, {} client attempts ({} client retries, at most {} for one create), {} tickets read back from the sim",
        r.creates.len(),
        r.creates.iter().filter(|c| c.acked.is_some()).count(),
        attempts,
        attempts as usize - r.creates.len(),
        r.creates.iter().map(|c| c.attempts).max().unwrap_or(0),
        f.found.tickets_read
    );
    eprintln!(
        "notes: {} sent, {} acknowledged, {} unacknowledged ({} answered OUTCOME_UNKNOWN) of which {} were written anyway (answer lost after the commit); {} comments read back",
        r.notes.len(),
        acked_notes,
        r.notes.len() - acked_notes,
        r.notes
            .iter()
            .filter(|n| n.code.as_deref() == Some(OUTCOME_UNKNOWN))
            .count(),
        unacked_written,
        f.found.comments_read
    );
    eprintln!(
        "audit: {} execution rows (max {} per account) for {} answers; by code {:?}; /metrics counted {} calls for {} answers before the final burst",
        f.audit.rows,
        f.audit.most_rows_per_account,
        r.answers.len(),
        f.audit.by_code,
        f.metric_calls,
        f.answers_before_burst
    );
    let series = |pick: fn(&Memory) -> u64| f.rss.iter().map(pick).collect::<Vec<_>>();
    eprintln!(
        "server memory (KiB): VmRSS {} after connecting; after each round VmRSS {:?}, anon {:?}; after the load {}; SQLite file + WAL {} KiB",
        f.rss_connected,
        series(|m| m.rss_kib),
        series(|m| m.anon_kib),
        f.rss_detail,
        f.db_kib
    );
    let calls_after =
        f.answers_before_burst as f64 * (ROUNDS - WARMUP_ROUNDS) as f64 / ROUNDS as f64;
    for (what, pick, slack) in [
        (
            "VmRSS",
            (|m: &Memory| m.rss_kib) as fn(&Memory) -> u64,
            RSS_SLACK,
        ),
        ("anon", |m: &Memory| m.anon_kib, ANON_SLACK),
    ] {
        let (warm, peak, bound) = memory_bound(f.rss, pick, slack);
        eprintln!(
            "{what} after warm-up: {warm} -> peak {peak} KiB ({:+.1}%, ~{:.0} bytes per call over ~{calls_after:.0} calls); bound {bound} KiB (crossed by a leak of ~{:.0} bytes per call)",
            (peak as f64 - warm as f64) * 100.0 / warm as f64,
            (peak as f64 - warm as f64) * 1024.0 / calls_after,
            (bound - warm) as f64 * 1024.0 / calls_after
        );
    }
    eprintln!(
        "SIGTERM during a burst of {FINAL_BURST}: {} answered, {} refused (not accepted)",
        f.burst_answers, f.burst_refused
    );
    eprintln!("wall: {:.1} s", f.total_wall.as_secs_f64());
}

fn assert_no_client_failures(r: &Report) {
    assert!(
        r.transport_errors.is_empty(),
        "the server dropped {} client requests, e.g. {:?}",
        r.transport_errors.len(),
        &r.transport_errors[..r.transport_errors.len().min(5)]
    );
    assert!(
        r.unexpected.is_empty(),
        "{} unexpected answers, e.g. {:?}",
        r.unexpected.len(),
        &r.unexpected[..r.unexpected.len().min(5)]
    );
}

/// Every error is an upstream failure the runtime mapped: a stable code and that code's status.
fn assert_every_error_is_mapped(r: &Report) {
    for a in &r.answers {
        let Some(code) = a.code.as_deref() else {
            assert_eq!(a.status, 200);
            continue;
        };
        let mapped = match code {
            "RATE_LIMITED" => a.status == 429 && a.retry_after_s.is_some(),
            "UPSTREAM_UNAVAILABLE" => a.status == 502 || a.status == 503,
            "TIMEOUT" => a.status == 504,
            // Only a write that cannot be repeated safely (notes have no idempotency key).
            OUTCOME_UNKNOWN => a.status == 502 && a.tool == "zendesk_ticket_reply",
            _ => false,
        };
        assert!(
            mapped,
            "{} for {}: HTTP {} with code {code} is not a mapped upstream error",
            a.tool, a.identifier, a.status
        );
    }
}

/// Every logical create acknowledged, and its marker on exactly one ticket: the acked one.
fn assert_creates_exactly_once(r: &Report, found: &SimWrites) {
    let mut markers = std::collections::HashSet::new();
    for c in &r.creates {
        assert!(markers.insert(&c.marker), "marker reused: {}", c.marker);
        let acked = c.acked.unwrap_or_else(|| {
            panic!(
                "create {} never acknowledged after {} attempts",
                c.marker, c.attempts
            )
        });
        let ids = found.ticket_ids(&c.tenant, &c.marker);
        assert_eq!(
            ids,
            [acked],
            "create {} ({} attempts): tickets in the sim vs the acknowledged id",
            c.marker,
            c.attempts
        );
    }
    let strays = found
        .tickets
        .keys()
        .filter(|(_, subject)| subject.starts_with("twload-") && !markers.contains(subject))
        .count();
    assert_eq!(strays, 0, "tickets with a marker nobody created");
}

/// Acknowledged notes exist exactly once; a note answered `OUTCOME_UNKNOWN` at most once
/// (its answer was lost: it may have been applied); a note refused with any other code was not
/// written at all (the code promised nothing was applied).
fn assert_notes_at_most_once(r: &Report, found: &SimWrites) {
    for n in &r.notes {
        let count = found.note_count(n);
        if n.acked {
            assert_eq!(
                count, 1,
                "acknowledged note {} on ticket {}",
                n.marker, n.ticket
            );
        } else if n.code.as_deref() == Some(OUTCOME_UNKNOWN) || n.code.is_none() {
            assert!(
                count <= 1,
                "note {} with a lost answer written {count} times",
                n.marker
            );
        } else {
            assert_eq!(
                count, 0,
                "note {} answered {:?} (nothing applied) but written",
                n.marker, n.code
            );
        }
    }
}

/// One audit row per answer: per identifier and per code.
fn assert_audit_matches(r: &Report, audit: &Audit) {
    let mut by_identifier: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for a in &r.answers {
        *by_identifier.entry(a.identifier.clone()).or_default() += 1;
        *by_code
            .entry(a.code.clone().unwrap_or_else(|| "ok".into()))
            .or_default() += 1;
    }
    assert_eq!(audit.rows, r.answers.len(), "execution rows vs answers");
    assert_eq!(audit.by_identifier, by_identifier, "rows per identifier");
    assert_eq!(audit.by_code, by_code, "rows per code");
}

/// Memory is flat after the warm-up: the highest sample of the later rounds stays within a
/// slack (percent + KiB) of the sample at the end of the warm-up, for anonymous memory
/// (the heap, where a leak shows; [`ANON_SLACK`]) and for VmRSS ([`RSS_SLACK`], looser: in a
/// debug build about 70% of it is the binary's file-backed pages, which grow as code paths are
/// first touched, not with calls).
///
/// Why this is not flaky: every sample is taken with no request in flight (all clients joined,
/// then 300 ms for the ledger), the in-flight peak is fixed (32 clients), and the warm-up
/// carries as many calls as the measured half, so allocator arenas, connection pools and the
/// account cache are populated before the baseline. The bound is on a high-water mark, which
/// a slow box does not change: it runs the same calls, only later. What still grows
/// legitimately is SQLite's page cache following the `executions` table (a few hundred bytes
/// per call, capped at 2 MiB per pooled connection) and now and then an allocator arena for a
/// new thread: a few MiB at most.
///
/// Why it still has teeth: the anonymous bound is ~5–6 MiB over ~1,600 calls, so keeping about
/// 4 KiB per call (a response body, a decrypted account, a request) fails it, and so does any
/// queue or map that grows with the load and is never drained.
fn assert_memory_flat(rss: &[Memory]) {
    for (what, pick, slack) in [
        (
            "VmRSS",
            (|m: &Memory| m.rss_kib) as fn(&Memory) -> u64,
            RSS_SLACK,
        ),
        ("RssAnon", |m: &Memory| m.anon_kib, ANON_SLACK),
    ] {
        let (warm, peak, bound) = memory_bound(rss, pick, slack);
        assert!(
            peak <= bound,
            "server {what} grew after the warm-up: {warm} KiB -> peak {peak} KiB (bound {bound} KiB); series {rss:?}"
        );
    }
}

/// (sample at the end of the warm-up, peak after it, allowed peak).
fn memory_bound(
    rss: &[Memory],
    pick: fn(&Memory) -> u64,
    (percent, kib): (u64, u64),
) -> (u64, u64, u64) {
    let warm = pick(&rss[WARMUP_ROUNDS - 1]);
    let peak = rss[WARMUP_ROUNDS..].iter().map(pick).max().expect("rounds");
    (warm, peak, warm + warm * percent / 100 + kib)
}
