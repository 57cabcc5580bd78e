//! Stopping `toolwire serve` (the real binary) by signal: SIGTERM stops accepting connections,
//! lets the request in flight finish and exits 0; a second signal while it waits exits at once
//! with 130.

mod common;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use toolwire_sim::{FaultKind, FaultSpec, Sim};

use common::API_KEY;
use common::process::ServerProcess;

/// A server with `acme` connected, whose ticket reads take `latency_ms` at the simulator.
async fn slow_server(latency_ms: u64) -> (Sim, ServerProcess, tempfile::TempDir) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Sim::builder().seed(5).start().await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&sim, dir.path()).await;
    server.connect(&sim, "acme", "acme").await;
    let mut latency = FaultSpec::next(FaultKind::Latency { ms: latency_ms }, 0)
        .method("GET")
        .path_prefix("/api/v2/tickets/");
    latency.count = None;
    sim.inject_fault(latency);
    (sim, server, dir)
}

/// Starts a ticket read and returns once the simulator holds it (the call is in flight).
async fn call_in_flight(
    sim: &Sim,
    server: &ServerProcess,
) -> tokio::task::JoinHandle<reqwest::Result<(u16, Value)>> {
    let url = format!("{}/v1/execute_tool", server.base);
    let call = tokio::spawn(async move {
        let r = reqwest::Client::new()
            .post(url)
            .bearer_auth(API_KEY)
            .json(&json!({"identifier": "acme", "tool_name": "zendesk_ticket_get", "tool_input": {"ticket_id": 1}}))
            .send()
            .await?;
        let status = r.status().as_u16();
        Ok((status, r.json().await?))
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while sim.faults().iter().all(|f| f.applied == 0) {
        assert!(
            Instant::now() < deadline,
            "the call never reached the simulator"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    call
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_call_in_flight_then_exits_0() {
    let (sim, mut server, _dir) = slow_server(1_500).await;
    let call = call_in_flight(&sim, &server).await;
    server.send_sigterm().await;

    // No new connections once stopping (polled: the listener closes right after the signal).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let probe = reqwest::Client::new()
            .get(format!("{}/readyz", server.base))
            .timeout(Duration::from_millis(500))
            .send()
            .await;
        if probe.is_err() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still accepting 10 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let (status, body) = call.await.unwrap().expect("the in-flight call is answered");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["ticket"]["id"], 1);
    let exit = server.wait_exit().await;
    assert_eq!(exit.code(), Some(0), "graceful exit: {exit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_exits_at_once_with_130() {
    // The call would hold the server for 25 s; the second signal must not wait for it.
    let (sim, mut server, _dir) = slow_server(25_000).await;
    let _call = call_in_flight(&sim, &server).await;
    let started = Instant::now();
    server.send_sigterm().await;
    // The second signal counts once the server says it is stopping.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&server.log)
        .unwrap_or_default()
        .contains("stopping:")
    {
        assert!(Instant::now() < deadline, "no stopping notice");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.send_sigterm().await;
    let exit = server.wait_exit().await;
    assert_eq!(exit.code(), Some(130), "{exit}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "exited without waiting for the 25 s call ({:?})",
        started.elapsed()
    );
}
