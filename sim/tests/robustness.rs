//! Bad input gets Zendesk-style errors, never a panic or a 500: malformed JSON, bad UTF-8,
//! oversized bodies, abrupt disconnects.

mod common;

use common::*;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn malformed_inputs() {
    let sim = toolwire_sim::Sim::builder()
        .http(true)
        .body_limit(64 * 1024)
        .start()
        .await
        .unwrap();
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let post = |body: Vec<u8>| {
        c.post(url(&sim, "acme", "/api/v2/tickets.json"))
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let r = post(b"{\"ticket\": {".to_vec()).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    let r = post(b"{\"ticket\": {\"subject\": \"\xff\xfe\"}}".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = post(b"[1,2,3]".to_vec()).await.unwrap();
    assert_eq!(r.status(), 400);
    let r = post(b"{\"ticket\": \"not an object\"}".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = post(
        b"{\"ticket\": {\"comment\": {\"body\": 5}, \"tags\": {\"a\": 1}, \"assignee_id\": \"x\"}}"
            .to_vec(),
    )
    .await
    .unwrap();
    assert!(r.status() == 422 || r.status() == 400, "{}", r.status());
    let big = vec![b' '; 200 * 1024];
    let r = post(big).await.unwrap();
    assert_eq!(r.status(), 413);
    // Weird paths and ids.
    for p in [
        "/api/v2/tickets/abc.json",
        "/api/v2/tickets/99999999999999999999999.json",
        "/api/v2/tickets/-1",
        "/api/v2/%ff%fe",
        "/api/v2/search.json?query=%22unterminated",
    ] {
        let r = c
            .get(url(&sim, "acme", p))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_client_error() || r.status() == 200,
            "{p}: {}",
            r.status()
        );
    }
    let r = c
        .get(url(&sim, "acme", "/api/v2/tickets.json?page=abc"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn abrupt_disconnects_do_not_hurt() {
    let sim = toolwire_sim::Sim::builder()
        .http(true)
        .start()
        .await
        .unwrap();
    let auth = agent_auth(&sim, "acme");
    // Announce a body, send half, hang up.
    for _ in 0..20 {
        let mut s = TcpStream::connect(sim.addr()).await.unwrap();
        let req = format!(
            "POST /api/v2/tickets.json HTTP/1.1\r\nHost: acme.zendesk.com\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"ticket\": {{"
        );
        s.write_all(req.as_bytes()).await.unwrap();
        drop(s);
    }
    // Garbage that is not HTTP at all.
    let mut s = TcpStream::connect(sim.addr()).await.unwrap();
    s.write_all(b"\x16\x03\x01 not http at all\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    // The server still answers normally, and no half-sent ticket was created.
    let c = client(&sim);
    let r = c
        .get(url(&sim, "acme", "/api/v2/tickets.json"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["count"], 50);
}

#[tokio::test]
async fn shutdown_releases_the_port() {
    let sim = toolwire_sim::Sim::builder()
        .http(true)
        .start()
        .await
        .unwrap();
    let addr = sim.addr();
    sim.shutdown().await;
    assert!(TcpStream::connect(addr).await.is_err());
}
