//! Instruction-count profile of one kind of call, for `valgrind --tool=callgrind` (which counts
//! instructions, so the result is repeatable on a shared, noisy machine): `--mode floor` makes
//! hand-built reqwest calls, `--mode dynamic` the same calls through `execute_tool`; the
//! difference of the two totals is toolwire's cost, and `callgrind_annotate` attributes it.
//!
//! `valgrind --tool=callgrind --callgrind-out-file=cg.dynamic target/release/profile_call --mode dynamic --calls 400`
//! (`benches/profile.sh` runs both modes and prints the instructions per call.)

use futures::StreamExt as _;
use serde_json::json;
use toolwire_benches::{arg, connectors_dir};
use toolwire_runtime::http::HttpOptions;
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_sim::{NewTenant, Sim};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mode: String = arg("mode", "dynamic".to_string());
    let calls: usize = arg("calls", 400);
    let tenants_n: usize = arg("tenants", 20);
    // 1 = sequential calls (one at a time, the `overhead` bench's sequential figure).
    let concurrency: usize = arg("concurrency", 8);
    let sim = Sim::builder()
        .seed(7)
        .tickets_per_tenant(1)
        .rate_limit(100_000_000)
        .start()
        .await
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let tw = Toolwire::builder()
        .store(Store::sqlite(dir.path().join("t.db")).await.unwrap())
        .master_key(MasterKey::generate())
        .connectors_dir(connectors_dir())
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr())
        .build()
        .await
        .unwrap();
    let client = toolwire_runtime::http::client(&HttpOptions {
        extra_roots_pem: vec![sim.ca_pem()],
        resolve_suffixes: vec![("zendesk.com".into(), sim.addr())],
        connect_timeout: None,
    })
    .unwrap();
    let mut tenants = Vec::new();
    for i in 0..tenants_n {
        let sub = format!("p{i:03}");
        let info = sim
            .create_tenant(NewTenant {
                subdomain: sub.clone(),
                seed_tickets: Some(1),
                rate_limit: Some(100_000_000),
                users: vec![],
            })
            .unwrap();
        let admin = info.admin().unwrap().clone();
        let config = json!({"subdomain": sub}).as_object().unwrap().clone();
        tw.accounts()
            .set_credentials(
                "zendesk",
                &sub,
                &config,
                None,
                Credentials::from_fields([
                    ("email", admin.email.as_str()),
                    ("api_token", admin.api_token.as_str()),
                ]),
            )
            .await
            .unwrap();
        tenants.push((sub, admin.email, admin.api_token));
    }
    let run = |i: usize| {
        let (sub, email, token) = tenants[i % tenants.len()].clone();
        let (tw, client, mode) = (tw.clone(), client.clone(), mode.clone());
        async move {
            if mode == "floor" {
                let r = client
                    .get(format!("https://{sub}.zendesk.com/api/v2/tickets/1.json"))
                    // What the tool sends: its `include` input defaults to every sideload.
                    .query(&[("include", "users,groups,organizations")])
                    .header(reqwest::header::ACCEPT, "application/json")
                    .basic_auth(format!("{email}/token"), Some(&token))
                    .send()
                    .await
                    .unwrap();
                let bytes = r.bytes().await.unwrap();
                let _: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            } else {
                tw.execute_tool(&sub, "zendesk_ticket_get", json!({"ticket_id": 1}))
                    .await
                    .unwrap();
            }
        }
    };
    // Warm every connection first, then the measured calls.
    futures::stream::iter(0..tenants_n).for_each(&run).await;
    futures::stream::iter(0..calls)
        .for_each_concurrent(concurrency, &run)
        .await;
    tw.flush().await;
}
