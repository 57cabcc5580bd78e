//! What traces cost per tool call: `zendesk_ticket_get` against the in-process simulator
//! (HTTPS on loopback), calls interleaved one by one between
//!
//! - **off**: no OpenTelemetry layer (what `toolwire serve` runs without an OTLP endpoint: the
//!   spans are disabled),
//! - **on**: the server's own layer (`toolwire_server::telemetry::layer`) on the SDK's batch
//!   processor, the request span of REST (`telemetry::rest_span`, continuing a `traceparent`)
//!   around the call, exporting to an exporter that drops the batches (the network to a
//!   collector is not what is measured).
//!
//! `cargo run --release -p toolwire-benches --bin trace_cost -- [--seq 3000]`

use std::time::Instant;

use opentelemetry::propagation::TextMapPropagator as _;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use serde_json::json;
use toolwire_benches::{arg, connectors_dir, micros, summarize};
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};
use toolwire_sim::Sim;
use tracing::Instrument as _;
use tracing::instrument::WithSubscriber as _;
use tracing_subscriber::layer::SubscriberExt as _;

/// Drops every batch (counts the spans, so the work is not optimised away).
#[derive(Debug, Default)]
struct Discard(std::sync::atomic::AtomicU64);

impl SpanExporter for Discard {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        self.0
            .fetch_add(batch.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

async fn call(tw: &Toolwire, ticket: i64) {
    tw.execute_tool(
        "acme_user",
        "zendesk_ticket_get",
        json!({ "ticket_id": ticket }),
    )
    .await
    .expect("toolwire call");
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let seq: usize = arg("seq", 3000);
    let sim = Sim::builder()
        .seed(7)
        .tickets_per_tenant(5)
        .rate_limit(100_000_000)
        .start()
        .await
        .expect("sim");
    let dir = tempfile::tempdir().unwrap();
    let tw = Toolwire::builder()
        .store(Store::sqlite(dir.path().join("toolwire.db")).await.unwrap())
        .master_key(MasterKey::generate())
        .connectors_dir(connectors_dir())
        .extra_root_pem(sim.ca_pem())
        .resolve_suffix("zendesk.com", sim.addr())
        .build()
        .await
        .expect("toolwire");
    let admin = sim.tenant("acme").unwrap().admin().unwrap().clone();
    tw.accounts()
        .set_credentials(
            "zendesk",
            "acme_user",
            json!({ "subdomain": "acme" }).as_object().unwrap(),
            None,
            Credentials::from_fields([
                ("email", admin.email.as_str()),
                ("api_token", admin.api_token.as_str()),
            ]),
        )
        .await
        .expect("connect");
    let ticket = 1;

    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(Discard::default())
        .build();
    let on = tracing::Dispatch::new(
        tracing_subscriber::registry().with(toolwire_server::telemetry::layer(&provider)),
    );
    let mut carrier = std::collections::HashMap::new();
    carrier.insert(
        "traceparent".to_string(),
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".to_string(),
    );
    let traced = |tw: Toolwire| {
        let on = on.clone();
        let carrier = carrier.clone();
        async move {
            let parent = TraceContextPropagator::new().extract(&carrier);
            let span = toolwire_server::telemetry::rest_span(parent);
            call(&tw, ticket).instrument(span).await;
        }
        .with_subscriber(on)
    };

    for _ in 0..300 {
        call(&tw, ticket).await;
        traced(tw.clone()).await;
    }
    let (mut off, mut with) = (Vec::with_capacity(seq), Vec::with_capacity(seq));
    for i in 0..seq * 2 {
        let start = Instant::now();
        if i % 2 == 0 {
            call(&tw, ticket).await;
            off.push(start.elapsed());
        } else {
            traced(tw.clone()).await;
            with.push(start.elapsed());
        }
    }
    let _ = provider.force_flush();
    let (off, with) = (summarize(&mut off), summarize(&mut with));
    println!("traces off {off}");
    println!("traces on  {with}");
    println!(
        "median ratio on/off = {:.3} ({:+.1}µs per call), mean {:+.1}µs",
        micros(with.p50) / micros(off.p50),
        micros(with.p50) - micros(off.p50),
        micros(with.mean) - micros(off.mean),
    );
    let _ = provider.shutdown();
}
