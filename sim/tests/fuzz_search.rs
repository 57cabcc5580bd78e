//! Fuzzing the sim's search parser through HTTP (the parser is private): `GET
//! /api/v2/search.json?query=<generated>` (and `/search/count.json`) with grammar-shaped and
//! arbitrary queries plus random sort / paging parameters. Bounded (case count and wall time);
//! every answer must be a non-5xx HTTP response with a JSON body, and the sim must still answer
//! a normal search afterwards. Deterministic: a fixed-seed xorshift generator (seed printed;
//! `FUZZ_SEARCH_SEED` / `FUZZ_SEARCH_CASES` / `FUZZ_SEARCH_SECS` override).

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIELDS: &[&str] = &[
    "type",
    "status",
    "priority",
    "assignee",
    "requester",
    "tags",
    "tag",
    "created",
    "updated",
    "subject",
    "description",
    "order_by",
    "sort",
    "group",
    "organization",
    "ticket_type",
    "via",
    "solved",
    "due_date",
    "role",
    "email",
    "name",
    "brand",
    "",
    "x",
    "commenter",
    "cc",
    "fieldvalue",
];
const VALUES: &[&str] = &[
    "ticket",
    "user",
    "organization",
    "group",
    "open",
    "pending",
    "solved",
    "closed",
    "new",
    "hold",
    "urgent",
    "high",
    "normal",
    "low",
    "me",
    "none",
    "vip",
    "2024-01-01",
    "2025-06-01",
    "2024-13-45",
    "1h",
    "-3days",
    "4hours",
    "0",
    "1",
    "-1",
    "99999999999999999999999",
    "*",
    "refund*",
    "\"\"",
    "\"a b\"",
    "desc",
    "asc",
    "created_at",
    "priority",
    "",
    "é",
    "日本",
    "\u{0}",
    "%",
    "\\",
    "'",
    "\u{202e}",
];
const OPS: &[&str] = &[":", "<", ">", "<=", ">=", ":<", ":>", "::", "=", ""];
const NOISE: &[&str] = &[
    " ",
    "  ",
    "\t",
    "\n",
    "\"",
    "-",
    "--",
    ":",
    "<",
    ">",
    "*",
    "(",
    ")",
    "OR",
    "AND",
    "+",
    "é",
    "\u{1F600}",
    "\u{FEFF}",
    "a",
    "Z",
    "9",
];

fn grammar_query(r: &mut Rng) -> String {
    let mut q = String::new();
    for _ in 0..r.below(7) {
        if !q.is_empty() {
            q.push_str(r.pick(&[" ", "  ", "\t", " "]));
        }
        if r.below(4) == 0 {
            q.push('-');
        }
        match r.below(5) {
            0 => q.push_str(r.pick(VALUES)),
            1 => {
                q.push('"');
                q.push_str(r.pick(VALUES));
                q.push(' ');
                q.push_str(r.pick(VALUES));
                if r.below(3) != 0 {
                    q.push('"');
                }
            }
            _ => {
                q.push_str(r.pick(FIELDS));
                q.push_str(r.pick(OPS));
                q.push_str(r.pick(VALUES));
            }
        }
    }
    q
}

fn noise_query(r: &mut Rng) -> String {
    let mut q = String::new();
    for _ in 0..r.below(24) {
        match r.below(3) {
            0 => q.push_str(r.pick(NOISE)),
            1 => q.push(char::from_u32(r.below(0x3000) as u32).unwrap_or('?')),
            _ => q.push_str(r.pick(VALUES)),
        }
    }
    q
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

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test]
async fn search_never_fails_on_arbitrary_queries() {
    let seed: u64 = env_or("FUZZ_SEARCH_SEED", 0x5EA2_C4F0_77AA_1234);
    let cases: usize = env_or("FUZZ_SEARCH_CASES", 2000);
    let budget = Duration::from_secs(env_or("FUZZ_SEARCH_SECS", 4));
    let sim = toolwire_sim::Sim::builder()
        .http(true)
        .seed(42)
        .tickets_per_tenant(50)
        .rate_limit(100_000_000)
        .start()
        .await
        .expect("sim starts");
    let c = client(&sim);
    let auth = agent_auth(&sim, "acme");
    let mut r = Rng(seed | 1);
    let start = Instant::now();
    let (mut sent, mut by_status) = (0usize, std::collections::BTreeMap::<u16, usize>::new());
    while sent < cases && start.elapsed() < budget {
        let q = if r.below(3) == 0 {
            noise_query(&mut r)
        } else {
            grammar_query(&mut r)
        };
        let mut extra = String::new();
        for (k, vals) in [
            (
                "sort_by",
                &["updated_at", "created_at", "priority", "status", "x", ""][..],
            ),
            ("sort_order", &["asc", "desc", "sideways", ""][..]),
            (
                "page",
                &["1", "2", "0", "-1", "1001", "abc", "99999999999999999999"][..],
            ),
            ("per_page", &["1", "100", "101", "0", "-5", "x"][..]),
        ] {
            if r.below(3) == 0 {
                extra.push_str(&format!("&{k}={}", urlencode(r.pick(vals))));
            }
        }
        let path = if r.below(5) == 0 {
            "/api/v2/search/count.json"
        } else {
            "/api/v2/search.json"
        };
        let u = format!("{}?query={}{extra}", url(&sim, "acme", path), urlencode(&q));
        let resp = c
            .get(&u)
            .header("authorization", &auth)
            .send()
            .await
            .unwrap_or_else(|e| panic!("no answer (a panic in the sim?) for {q:?} {extra}: {e}"));
        let status = resp.status().as_u16();
        let body = resp.bytes().await.expect("body");
        assert!(
            status < 500,
            "{status} for query {q:?} {extra}: {}",
            String::from_utf8_lossy(&body)
        );
        assert!(
            serde_json::from_slice::<Value>(&body).is_ok(),
            "non-JSON {status} answer for {q:?} {extra}"
        );
        *by_status.entry(status).or_default() += 1;
        sent += 1;
    }
    // Still healthy.
    let ok = c
        .get(format!(
            "{}?query=type%3Aticket%20status%3Aopen",
            url(&sim, "acme", "/api/v2/search.json")
        ))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    eprintln!(
        "fuzz_search: seed {seed:#x}, {sent} queries in {:.1}s, 0 failures; statuses {by_status:?}",
        start.elapsed().as_secs_f64()
    );
    assert!(sent >= 200, "too few cases in the time budget: {sent}");
}
