//! Deterministic demo data: tenants `acme` and `globex` with agents (one admin), end-users,
//! organizations, groups, views and tickets with comments, tags, statuses and priorities.
//! Same seed → same data and the same API tokens. Also the large-dataset generator.

mod words;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::tenants::{Comment, Group, Organization, Tenant, Ticket, User, View, ViewAccess};

/// Demo tenant subdomains.
pub const DEMO_TENANTS: [&str; 2] = ["acme", "globex"];

/// The data set's "now": seeded timestamps lie in the 120 days before this instant.
pub fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 2, 9, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// A 40-character API token from the RNG.
pub fn token(rng: &mut StdRng) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..40)
        .map(|_| A[rng.random_range(0..A.len())] as char)
        .collect()
}

/// A user's sign-in password for the OAuth consent page: `pw-` + 16 hex characters of
/// `sha256("toolwire-sim/password/{seed}/{sub}/{email}")` (does not touch the data RNG).
pub fn password(seed: u64, sub: &str, email: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("toolwire-sim/password/{seed}/{sub}/{email}"));
    format!("pw-{}", &crate::oauth::clients::hex(&d)[..16])
}

fn tenant_rng(seed: u64, sub: &str) -> StdRng {
    let h = sub.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    });
    StdRng::seed_from_u64(seed ^ h)
}

/// Id base for the n-th tenant, so ids differ across tenants.
pub fn id_base(n: usize) -> u64 {
    360_000_000_000 + n as u64 * 10_000_000_000
}

fn company(sub: &str) -> String {
    let mut c = sub.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn user(t: &mut Tenant, name: String, email: String, role: &str, at: DateTime<Utc>) -> u64 {
    let id = t.alloc_id();
    t.users.insert(
        id,
        User {
            id,
            name,
            email: Some(email),
            role: role.to_string(),
            organization_id: None,
            group_ids: Vec::new(),
            default_group_id: None,
            phone: None,
            verified: true,
            active: true,
            tags: Vec::new(),
            photo: role != "end-user",
            created_at: at,
            updated_at: at,
        },
    );
    id
}

/// Build one seeded tenant with `tickets` tickets.
pub fn tenant(sub: &str, index: usize, seed: u64, tickets: usize, rate_limit: u32) -> Tenant {
    let mut rng = tenant_rng(seed, sub);
    let mut t = Tenant::new(sub, id_base(index), rate_limit);
    let now = anchor();
    let start = now - Duration::days(120);
    let domain = format!("{sub}.example.com");
    let co = company(sub);

    // Groups.
    let mut groups = Vec::new();
    for (i, (name, desc)) in [
        ("Support", "First-line support"),
        ("Billing", "Invoices and refunds"),
        ("Engineering", "Escalations"),
    ]
    .iter()
    .enumerate()
    {
        let id = t.alloc_id();
        t.groups.insert(
            id,
            Group {
                id,
                name: name.to_string(),
                description: desc.to_string(),
                default: i == 0,
                is_public: true,
                created_at: start,
                updated_at: start,
            },
        );
        groups.push(id);
    }

    // Organizations.
    let mut orgs = Vec::new();
    for (name, dom) in [
        ("Initech", "initech.test"),
        ("Umbrella Retail", "umbrella.test"),
        ("Stark Logistics", "stark.test"),
        ("Wayne Foods", "wayne.test"),
    ] {
        let id = t.alloc_id();
        t.organizations.insert(
            id,
            Organization {
                id,
                name: format!("{name} ({co})"),
                domain_names: vec![dom.to_string()],
                tags: vec!["customer".into()],
                details: Some(format!("{name} account managed by {co}")),
                notes: None,
                group_id: None,
                external_id: None,
                created_at: start,
                updated_at: start,
            },
        );
        orgs.push(id);
    }

    // Agents: an admin and three agents. Emails are predictable for demos.
    let admin = user(
        &mut t,
        format!("{co} Admin"),
        format!("admin@{domain}"),
        "admin",
        start,
    );
    let mut agents = vec![admin];
    for (i, (f, l)) in [("Alex", "Agent"), ("Blake", "Agent"), ("Casey", "Agent")]
        .iter()
        .enumerate()
    {
        let email = format!("{}.{}@{domain}", f.to_lowercase(), l.to_lowercase());
        let id = user(&mut t, format!("{f} {l}"), email, "agent", start);
        if let Some(u) = t.users.get_mut(&id) {
            u.group_ids = vec![groups[i % groups.len()], groups[0]];
            u.group_ids.dedup();
            u.default_group_id = Some(groups[i % groups.len()]);
        }
        agents.push(id);
    }
    if let Some(u) = t.users.get_mut(&admin) {
        u.group_ids = groups.clone();
        u.default_group_id = Some(groups[0]);
    }
    for a in agents.clone() {
        let tok = token(&mut rng);
        t.add_api_token(a, tok);
    }

    // End-users.
    let mut customers = Vec::new();
    for i in 0..12 {
        let f = words::FIRST[(i * 7 + index) % words::FIRST.len()];
        let l = words::LAST[(i * 3 + index) % words::LAST.len()];
        let org = orgs[i % orgs.len()];
        let dom = t
            .organizations
            .get(&org)
            .map(|o| o.domain_names[0].clone())
            .unwrap_or_default();
        let email = format!("{}.{}@{dom}", f.to_lowercase(), l.to_lowercase());
        let at = start + Duration::hours(i as i64);
        let id = user(&mut t, format!("{f} {l}"), email, "end-user", at);
        if let Some(u) = t.users.get_mut(&id) {
            u.organization_id = Some(org);
            u.phone = Some(format!("+1-555-01{:02}", i));
        }
        customers.push(id);
    }
    let first_agent = agents[1];
    let end_user_token = token(&mut rng);
    t.add_api_token(customers[0], end_user_token);

    // Views.
    let views: [(&str, ViewAccess, serde_json::Value, bool); 6] = [
        (
            "Your unsolved tickets",
            ViewAccess::Account,
            json!({"all": [{"field": "status", "operator": "less_than", "value": "solved"}, {"field": "assignee_id", "operator": "is", "value": "current_user"}], "any": []}),
            true,
        ),
        (
            "Unassigned tickets",
            ViewAccess::Account,
            json!({"all": [{"field": "assignee_id", "operator": "is", "value": ""}, {"field": "status", "operator": "less_than", "value": "solved"}], "any": []}),
            true,
        ),
        (
            "Urgent open tickets",
            ViewAccess::Account,
            json!({"all": [{"field": "priority", "operator": "is", "value": "urgent"}, {"field": "status", "operator": "is", "value": "open"}], "any": []}),
            true,
        ),
        (
            "Billing queue",
            ViewAccess::Shared(groups[1]),
            json!({"all": [{"field": "group_id", "operator": "is", "value": groups[1].to_string()}, {"field": "status", "operator": "less_than", "value": "solved"}], "any": []}),
            true,
        ),
        (
            "My pending tickets",
            ViewAccess::Personal(first_agent),
            json!({"all": [{"field": "status", "operator": "is", "value": "pending"}, {"field": "assignee_id", "operator": "is", "value": "current_user"}], "any": []}),
            true,
        ),
        (
            "Recently solved (archived)",
            ViewAccess::Account,
            json!({"all": [{"field": "status", "operator": "is", "value": "solved"}], "any": []}),
            false,
        ),
    ];
    for (pos, (title, access, conditions, active)) in views.into_iter().enumerate() {
        let id = t.alloc_id();
        let at = start + Duration::minutes(pos as i64);
        t.views.insert(
            id,
            View {
                id,
                title: title.into(),
                active,
                position: pos as u64,
                access,
                conditions,
                created_at: at,
                updated_at: at,
            },
        );
    }

    add_tickets(
        &mut t, &mut rng, tickets, &agents, &customers, &groups, start, now,
    );
    let passwords: Vec<(u64, String)> = t
        .users
        .values()
        .filter_map(|u| u.email.as_deref().map(|e| (u.id, password(seed, sub, e))))
        .collect();
    t.passwords.extend(passwords);
    t
}

/// Add `n` tickets. The first few are urgent open tickets assigned to the first agent.
#[allow(clippy::too_many_arguments)]
fn add_tickets(
    t: &mut Tenant,
    rng: &mut StdRng,
    n: usize,
    agents: &[u64],
    customers: &[u64],
    groups: &[u64],
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) {
    let first_agent = agents[1];
    let span = (now - start).num_seconds().max(1);
    let statuses = [
        "new", "open", "open", "open", "pending", "hold", "solved", "solved", "closed",
    ];
    let priorities = [
        Some("low"),
        Some("normal"),
        Some("normal"),
        Some("high"),
        Some("urgent"),
        None,
    ];
    let kinds = [
        Some("question"),
        Some("incident"),
        Some("problem"),
        Some("task"),
        None,
    ];
    let mut times: Vec<i64> = (0..n).map(|_| rng.random_range(0..span)).collect();
    times.sort_unstable();
    for (i, offset) in times.into_iter().enumerate() {
        let (subject, body) = words::PROBLEMS[rng.random_range(0..words::PROBLEMS.len())];
        let requester = *customers.choose(rng).unwrap_or(&customers[0]);
        let demo = i % 10 == 3 || i < 3;
        let status = if demo {
            "open"
        } else {
            statuses[rng.random_range(0..statuses.len())]
        };
        let priority = if demo {
            Some("urgent")
        } else {
            priorities[rng.random_range(0..priorities.len())]
        };
        let assignee = if demo {
            Some(first_agent)
        } else if status == "new" {
            None
        } else {
            Some(agents[rng.random_range(0..agents.len())])
        };
        let created = start + Duration::seconds(offset);
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..rng.random_range(0..3) {
            let g = words::TAGS[rng.random_range(0..words::TAGS.len())].to_string();
            if !tags.contains(&g) {
                tags.push(g);
            }
        }
        let id = t.next_ticket_id;
        t.next_ticket_id += 1;
        let org = t.users.get(&requester).and_then(|u| u.organization_id);
        let mut comments = Vec::new();
        let audit = t.alloc_id();
        let cid = t.alloc_id();
        comments.push(Comment {
            id: cid,
            audit_id: audit,
            author_id: requester,
            body: body.to_string(),
            public: true,
            channel: "email".into(),
            created_at: created,
        });
        let mut at = created;
        for k in 0..rng.random_range(0..4) {
            at += Duration::minutes(rng.random_range(5..600));
            let internal = k == 1 && rng.random_bool(0.5);
            let (author, body) = if internal {
                (
                    assignee.unwrap_or(agents[0]),
                    words::INTERNAL[rng.random_range(0..words::INTERNAL.len())],
                )
            } else if k % 2 == 0 {
                (
                    assignee.unwrap_or(agents[0]),
                    words::REPLIES[rng.random_range(0..4)],
                )
            } else {
                (
                    requester,
                    words::REPLIES[rng.random_range(4..words::REPLIES.len())],
                )
            };
            let audit = t.alloc_id();
            let cid = t.alloc_id();
            comments.push(Comment {
                id: cid,
                audit_id: audit,
                author_id: author,
                body: body.to_string(),
                public: !internal,
                channel: "web".into(),
                created_at: at,
            });
        }
        let solved = matches!(status, "solved" | "closed").then_some(at);
        t.tickets.insert(
            id,
            Ticket {
                id,
                external_id: None,
                subject: subject.to_string(),
                description: body.to_string(),
                kind: kinds[rng.random_range(0..kinds.len())].map(str::to_string),
                priority: priority.map(str::to_string),
                status: status.to_string(),
                requester_id: requester,
                submitter_id: requester,
                assignee_id: assignee,
                organization_id: org,
                group_id: assignee.map(|_| groups[rng.random_range(0..groups.len())]),
                tags,
                custom_fields: Vec::new(),
                channel: "email".into(),
                is_public: true,
                due_at: None,
                comments,
                created_at: created,
                updated_at: at,
                solved_at: solved,
            },
        );
    }
}
