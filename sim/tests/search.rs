//! Search syntax and limits.

mod common;

use common::*;
use serde_json::Value;

async fn search(sim: &toolwire_sim::Sim, q: &str, extra: &str) -> (u16, Value) {
    let c = client(sim);
    let u = format!(
        "{}?query={}{extra}",
        url(sim, "acme", "/api/v2/search.json"),
        urlencode(q)
    );
    let r = c
        .get(u)
        .header("authorization", agent_auth(sim, "acme"))
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.*".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn results(v: &Value) -> Vec<Value> {
    v["results"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn urgent_open_assigned_to_me() {
    let sim = start().await;
    let me = sim.tenant("acme").unwrap().agent().unwrap().user_id;
    let (s, v) = search(
        &sim,
        "type:ticket status:open priority:urgent assignee:me",
        "",
    )
    .await;
    assert_eq!(s, 200);
    let r = results(&v);
    assert!(
        r.len() >= 3,
        "demo needs urgent open tickets for the first agent, got {}",
        r.len()
    );
    for t in &r {
        assert_eq!(t["result_type"], "ticket");
        assert_eq!(t["status"], "open");
        assert_eq!(t["priority"], "urgent");
        assert_eq!(t["assignee_id"].as_u64(), Some(me));
    }
    assert_eq!(v["count"].as_u64().unwrap() as usize, r.len());
}

#[tokio::test]
async fn operators_negation_or_and_text() {
    let sim = start().await;
    let (_, all) = search(&sim, "type:ticket", "").await;
    let total = all["count"].as_u64().unwrap();
    assert_eq!(total, 50);
    let (_, lt) = search(&sim, "type:ticket status<solved", "").await;
    assert!(
        results(&lt)
            .iter()
            .all(|t| ["new", "open", "pending", "hold"].contains(&t["status"].as_str().unwrap()))
    );
    let (_, ge) = search(&sim, "type:ticket status>=solved", "").await;
    assert_eq!(
        lt["count"].as_u64().unwrap() + ge["count"].as_u64().unwrap(),
        total
    );
    let (_, neg) = search(&sim, "type:ticket -status:open", "").await;
    assert!(results(&neg).iter().all(|t| t["status"] != "open"));
    let (_, or) = search(&sim, "type:ticket status:open status:pending", "").await;
    assert!(
        results(&or)
            .iter()
            .all(|t| t["status"] == "open" || t["status"] == "pending")
    );
    assert!(results(&or).iter().any(|t| t["status"] == "pending"));
    let (_, pr) = search(&sim, "type:ticket priority>=high", "").await;
    assert!(
        results(&pr)
            .iter()
            .all(|t| t["priority"] == "high" || t["priority"] == "urgent")
    );
    let (_, phrase) = search(&sim, "\"log in\"", "").await;
    assert!(
        results(&phrase)
            .iter()
            .all(|t| t["result_type"] == "ticket")
    );
    assert!(!results(&phrase).is_empty());
    let (_, wild) = search(&sim, "type:user email:admin*", "").await;
    assert_eq!(results(&wild).len(), 1);
    let (_, users) = search(&sim, "type:user role:agent", "").await;
    assert_eq!(users["count"], 3);
    let (_, dates) = search(
        &sim,
        "type:ticket created>2025-01-01 created<2030-01-01",
        "",
    )
    .await;
    assert_eq!(dates["count"].as_u64().unwrap(), total);
    let (_, none) = search(&sim, "type:ticket created<2000-01-01", "").await;
    assert_eq!(none["count"], 0);
    let (_, sorted) = search(&sim, "type:ticket order_by:created_at sort:asc", "").await;
    let ts: Vec<String> = results(&sorted)
        .iter()
        .map(|t| t["created_at"].as_str().unwrap().to_string())
        .collect();
    let mut s2 = ts.clone();
    s2.sort();
    assert_eq!(ts, s2);
    let (_, desc) = search(&sim, "type:ticket", "&sort_by=created_at&sort_order=desc").await;
    assert!(
        results(&desc)[0]["created_at"].as_str()
            >= results(&desc).last().unwrap()["created_at"].as_str()
    );
}

#[tokio::test]
async fn limits() {
    let sim = start().await;
    let (s, v) = search(&sim, "type:ticket", "&page=11&per_page=100").await;
    assert_eq!(s, 422);
    assert!(
        v["description"]
            .as_str()
            .unwrap()
            .contains("Search Response Limits")
    );
    let (s, _) = search(&sim, "type:ticket", "&page[size]=10").await;
    assert_eq!(s, 400);
    let (s, v) = search(&sim, "type:ticket", "&per_page=10&page=2").await;
    assert_eq!(s, 200);
    assert_eq!(results(&v).len(), 10);
    assert!(v["next_page"].as_str().unwrap().contains("page=3"));
    assert!(v["previous_page"].as_str().unwrap().contains("page=1"));
    assert_eq!(v["count"], 50);
}

#[tokio::test]
async fn new_records_are_searchable_at_once() {
    let sim = start().await;
    let c = client(&sim);
    c.post(url(&sim, "acme", "/api/v2/tickets.json")).header("authorization", agent_auth(&sim, "acme"))
        .json(&serde_json::json!({"ticket": {"subject": "Zyxwv unique", "comment": {"body": "b"}, "tags": ["qqq"]}}))
        .send().await.unwrap();
    let (_, v) = search(&sim, "zyxw", "").await;
    assert_eq!(v["count"], 1);
    let (_, v) = search(&sim, "tags:qqq", "").await;
    assert_eq!(v["count"], 1);
}
