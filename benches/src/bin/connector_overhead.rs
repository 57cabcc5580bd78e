//! Overhead of a GitHub (REST) and a Linear (GraphQL) call over a hand-built floor, as
//! `overhead` does for Zendesk: `github_issue_get` and `linear_issue_get` through toolwire's
//! production path (every connector in `connectors/` loaded, an account imported into a SQLite
//! store and the vault, `execute_tool`) vs the same HTTPS request written by hand with reqwest
//! (the very client `toolwire_runtime::http::client` builds: same TLS, pool and resolver; same
//! headers and body; the answer parsed into `serde_json::Value`).
//!
//! Both paths call the test kit's HTTPS stand-in on loopback (throwaway CA, hosts routed with
//! the runtime's resolve / extra-CA options), scripted with the cassette's recorded answer
//! (`connectors/cassettes/<connector>.yaml`), once per call. Phases alternate floor / toolwire
//! (`--phases` of each, `--calls` sequential calls per phase, then the same number with
//! `--concurrency` in flight); p50/p99 and the toolwire / floor ratios are printed with the load
//! average.
//!
//! `cargo run --release -p toolwire-benches --bin connector_overhead -- [--calls 2000]
//! [--phases 4] [--concurrency 16]`

use std::time::{Duration, Instant};

use futures::StreamExt as _;
use serde_json::{Map, Value, json};
use toolwire_benches::{arg, connectors_dir, micros, summarize};
use toolwire_runtime::http::HttpOptions;
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_testkit::model::{AccountSpec, Response};
use toolwire_testkit::standin::{Received, StandIn};

const IDENTIFIER: &str = "bench_user";
const GITHUB_HOST: &str = "api.github.com";
const LINEAR_HOST: &str = "api.linear.app";

/// One measured call: the cassette step it replays, and what the floor needs.
struct Case {
    connector: &'static str,
    cassette: &'static str,
    tool: String,
    input: Value,
    account: AccountSpec,
    response: Response,
    expected: Value,
    /// The secret the floor sends (the cassette's fake token or key).
    secret: String,
    /// The GraphQL document the floor sends (Linear), as a developer would paste it.
    document: String,
}

impl Case {
    fn load(connector: &'static str, cassette: &'static str, tw: &Toolwire) -> Case {
        let spec = &tw.connector(connector).expect("connector loaded").spec;
        let path = connectors_dir().join(format!("cassettes/{connector}.yaml"));
        let file = toolwire_testkit::load::load_file(&path, spec).expect("cassette file");
        let c = file
            .cassettes
            .iter()
            .find(|c| c.name == cassette)
            .expect("cassette");
        let step = &c.steps[0];
        let call = step.call.as_ref().expect("a call step");
        let account = file.account.merged(c.account.as_ref());
        let secret = account
            .credentials
            .as_ref()
            .and_then(|m| m.values().next())
            .and_then(Value::as_str)
            .expect("one credential field")
            .to_string();
        Case {
            connector,
            cassette,
            tool: call.tool.clone(),
            input: call.input.clone(),
            account,
            response: step.exchanges[0].response.clone(),
            expected: step.expect.output.clone().expect("an expected output"),
            secret,
            document: String::new(),
        }
    }
}

/// The hand-built request: what a developer would write with reqwest.
async fn floor_call(client: &reqwest::Client, case: &Case) -> Value {
    let request = match case.connector {
        "github" => client
            .get(format!(
                "https://{GITHUB_HOST}/repos/{}/{}/issues/{}",
                case.input["owner"].as_str().expect("owner"),
                case.input["repo"].as_str().expect("repo"),
                case.input["issue_number"]
            ))
            .bearer_auth(&case.secret)
            .header(reqwest::header::ACCEPT, "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28"),
        _ => client
            .post(format!("https://{LINEAR_HOST}/graphql"))
            .header(reqwest::header::AUTHORIZATION, &case.secret)
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&json!({
                "query": case.document,
                "variables": { "id": case.input["id"] },
                "operationName": "issue",
            })),
    };
    let response = request.send().await.expect("floor request");
    assert!(response.status().is_success(), "{}", response.status());
    let bytes = response.bytes().await.expect("floor body");
    let mut body: Value = serde_json::from_slice(&bytes).expect("floor json");
    match case.connector {
        "github" => body,
        _ => {
            assert!(body.get("errors").is_none(), "GraphQL errors: {body}");
            body["data"]["issue"].take()
        }
    }
}

async fn toolwire_call(tw: &Toolwire, case: &Case) -> Value {
    tw.execute_tool(IDENTIFIER, &case.tool, case.input.clone())
        .await
        .expect("toolwire call")
        .data
}

/// Which side a phase measures.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Floor,
    Toolwire,
}

async fn one(side: Side, tw: &Toolwire, client: &reqwest::Client, case: &Case) -> Value {
    match side {
        Side::Floor => floor_call(client, case).await,
        Side::Toolwire => toolwire_call(tw, case).await,
    }
}

/// `calls` sequential calls; their latencies.
async fn sequential(
    side: Side,
    calls: usize,
    tw: &Toolwire,
    client: &reqwest::Client,
    case: &Case,
    stand_in: &StandIn,
) -> Vec<Duration> {
    stand_in.script(vec![case.response.clone(); calls]);
    let mut samples = Vec::with_capacity(calls);
    for _ in 0..calls {
        let start = Instant::now();
        let out = one(side, tw, client, case).await;
        samples.push(start.elapsed());
        debug_assert!(out.is_object());
    }
    assert_eq!(stand_in.received().len(), calls, "one request per call");
    samples
}

/// `calls` calls with `concurrency` in flight; calls per second.
async fn concurrent(
    side: Side,
    calls: usize,
    concurrency: usize,
    tw: &Toolwire,
    client: &reqwest::Client,
    case: &Case,
    stand_in: &StandIn,
) -> f64 {
    stand_in.script(vec![case.response.clone(); calls]);
    let start = Instant::now();
    let done = futures::stream::iter(0..calls)
        .map(|_| one(side, tw, client, case))
        .buffer_unordered(concurrency)
        .filter(|v| std::future::ready(v.is_object()))
        .count()
        .await;
    let rate = calls as f64 / start.elapsed().as_secs_f64();
    assert_eq!(done, calls, "every call answered an object");
    assert_eq!(stand_in.received().len(), calls, "one request per call");
    rate
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn header_names(r: &Received) -> Vec<String> {
    let mut names: Vec<String> = r.headers.iter().map(|(k, _)| k.clone()).collect();
    names.sort();
    names
}

/// One call from each side; asserts they sent the same request and got the same output.
async fn same_request(
    tw: &Toolwire,
    client: &reqwest::Client,
    case: &mut Case,
    stand_in: &StandIn,
) {
    stand_in.script(vec![case.response.clone()]);
    let out = toolwire_call(tw, case).await;
    assert_eq!(out, case.expected, "toolwire output");
    let theirs = stand_in.received().remove(0);
    if case.connector == "linear" {
        let body: Value = serde_json::from_slice(&theirs.body).expect("GraphQL body");
        case.document = body["query"].as_str().expect("query").to_string();
    }
    stand_in.script(vec![case.response.clone()]);
    let out = floor_call(client, case).await;
    assert_eq!(out, case.expected, "floor output");
    let ours = stand_in.received().remove(0);
    assert_eq!(
        (&ours.method, &ours.host, &ours.path, &ours.query),
        (&theirs.method, &theirs.host, &theirs.path, &theirs.query),
        "same request line"
    );
    if !ours.body.is_empty() || !theirs.body.is_empty() {
        let parse = |b: &[u8]| serde_json::from_slice::<Value>(b).expect("JSON body");
        assert_eq!(parse(&ours.body), parse(&theirs.body), "same body");
    }
    let get = |r: &Received, name: &str| {
        r.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    for name in header_names(&theirs) {
        if name != "traceparent" {
            assert_eq!(get(&ours, &name), get(&theirs, &name), "header {name}");
        }
    }
    println!(
        "{}: same request checked ({} {}); headers floor {:?}, toolwire {:?}",
        case.tool,
        theirs.method,
        theirs.path,
        header_names(&ours),
        header_names(&theirs)
    );
}

async fn measure(
    tw: &Toolwire,
    client: &reqwest::Client,
    case: &Case,
    stand_in: &StandIn,
    calls: usize,
    phases: usize,
    concurrency: usize,
) {
    // Warm-up: pools, caches, allocator.
    for side in [Side::Floor, Side::Toolwire] {
        sequential(side, calls / 4, tw, client, case, stand_in).await;
        concurrent(side, calls / 4, concurrency, tw, client, case, stand_in).await;
    }
    let load_before = load_average();
    let (mut floor, mut ours) = (Vec::new(), Vec::new());
    let (mut floor_rates, mut our_rates) = (Vec::new(), Vec::new());
    // p50 of each phase: a floor phase and the toolwire phase next to it make one pair.
    let (mut floor_p50s, mut our_p50s) = (Vec::new(), Vec::new());
    for p in 0..phases * 2 {
        // floor, toolwire, toolwire, floor, ...: neither side always runs first.
        let side = if (p + p / 2) % 2 == 0 {
            Side::Floor
        } else {
            Side::Toolwire
        };
        let mut samples = sequential(side, calls, tw, client, case, stand_in).await;
        let p50 = micros(summarize(&mut samples).p50);
        let rate = concurrent(side, calls, concurrency, tw, client, case, stand_in).await;
        match side {
            Side::Floor => {
                floor.extend(samples);
                floor_rates.push(rate);
                floor_p50s.push(p50);
            }
            Side::Toolwire => {
                ours.extend(samples);
                our_rates.push(rate);
                our_p50s.push(p50);
            }
        }
    }
    let (f, t) = (summarize(&mut floor), summarize(&mut ours));
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut pair_p50 = our_p50s
        .iter()
        .zip(&floor_p50s)
        .map(|(t, f)| t / f)
        .collect::<Vec<_>>();
    let mut pair_rate = our_rates
        .iter()
        .zip(&floor_rates)
        .map(|(t, f)| t / f)
        .collect::<Vec<_>>();
    let round = |v: &[f64]| v.iter().map(|r| format!("{r:.2}")).collect::<Vec<_>>();
    println!(
        "{}: per-pair ratios toolwire/floor, sequential p50 {:?}, {concurrency} in flight \
         calls/s {:?}",
        case.tool,
        round(&pair_p50),
        round(&pair_rate)
    );
    let (pair_p50, pair_rate) = (median(&mut pair_p50), median(&mut pair_rate));
    let (rf, rt) = (median(&mut floor_rates), median(&mut our_rates));
    println!("{} ({}) sequential floor    {f}", case.tool, case.cassette);
    println!("{} ({}) sequential toolwire {t}", case.tool, case.cassette);
    println!(
        "{}: ratio toolwire/floor p50 {:.3} ({:+.1}µs), p99 {:.3} ({:+.1}µs); {concurrency} in \
         flight: floor {rf:.0} calls/s, toolwire {rt:.0} calls/s, throughput ratio {:.3}; load \
         average {load_before} before, {} after; median of the pair ratios: p50 {pair_p50:.3}, \
         throughput {pair_rate:.3}",
        case.tool,
        micros(t.p50) / micros(f.p50),
        micros(t.p50) - micros(f.p50),
        micros(t.p99) / micros(f.p99),
        micros(t.p99) - micros(f.p99),
        rt / rf,
        load_average()
    );
}

#[tokio::main]
async fn main() {
    let calls: usize = arg("calls", 2000);
    let phases: usize = arg("phases", 4);
    let concurrency: usize = arg("concurrency", 16);
    println!("load average at start: {}", load_average());

    let stand_in = StandIn::start(&[GITHUB_HOST.into(), LINEAR_HOST.into()])
        .await
        .expect("stand-in");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path().join("toolwire.db")).await.unwrap();
    let tw = Toolwire::builder()
        .store(store)
        .master_key(MasterKey::generate())
        .connectors_dir(connectors_dir())
        .extra_root_pem(stand_in.ca_pem())
        .resolve_suffix(GITHUB_HOST, stand_in.addr())
        .resolve_suffix(LINEAR_HOST, stand_in.addr())
        .build()
        .await
        .expect("toolwire");
    // The floor uses the very client toolwire builds (same TLS, pool and resolver settings).
    let client = toolwire_runtime::http::client(&HttpOptions {
        extra_roots_pem: vec![stand_in.ca_pem().to_string()],
        resolve_suffixes: vec![
            (GITHUB_HOST.into(), stand_in.addr()),
            (LINEAR_HOST.into(), stand_in.addr()),
        ],
        connect_timeout: None,
    })
    .unwrap();

    let mut cases = vec![
        Case::load("github", "issue_get", &tw),
        Case::load("linear", "issue_get_by_identifier", &tw),
    ];
    for case in &mut cases {
        let config: Map<String, Value> = case.account.config.clone().unwrap_or_default();
        tw.accounts()
            .import_credentials(
                case.connector,
                IDENTIFIER,
                &config,
                case.account.auth.as_deref(),
                Credentials::new(case.account.credentials.clone().unwrap_or_default()),
            )
            .await
            .expect("account imported");
        same_request(&tw, &client, case, &stand_in).await;
    }
    for case in &cases {
        measure(&tw, &client, case, &stand_in, calls, phases, concurrency).await;
    }
    tw.flush().await;
}
