//! Zendesk search: query parsing ([`parse`]), matching ([`eval`]) and result ordering.

pub mod eval;
pub mod parse;

use chrono::{DateTime, Utc};

use crate::tenants::{Tenant, priority_rank, status_rank};
pub use eval::Rec;
pub use parse::{ParsedQuery, parse};

/// All records of the tenant matching `q`, in the requested order.
pub fn run<'a>(
    t: &'a Tenant,
    q: &ParsedQuery,
    types_filter: Option<&str>,
    me: Option<u64>,
    sort_by: Option<&str>,
    sort_order: Option<&str>,
    now: DateTime<Utc>,
) -> Vec<Rec<'a>> {
    let wants = |k: &str| {
        types_filter.is_none_or(|f| f == k)
            && (q.types.is_empty() || q.types.iter().any(|x| x == k))
    };
    let mut out: Vec<Rec<'a>> = Vec::new();
    if wants("ticket") {
        out.extend(
            t.tickets
                .values()
                .map(Rec::Ticket)
                .filter(|r| eval::matches(t, *r, q, me, now)),
        );
    }
    if wants("user") {
        out.extend(
            t.users
                .values()
                .map(Rec::User)
                .filter(|r| eval::matches(t, *r, q, me, now)),
        );
    }
    if wants("organization") {
        out.extend(
            t.organizations
                .values()
                .map(Rec::Org)
                .filter(|r| eval::matches(t, *r, q, me, now)),
        );
    }
    if wants("group") {
        out.extend(
            t.groups
                .values()
                .map(Rec::Group)
                .filter(|r| eval::matches(t, *r, q, me, now)),
        );
    }
    let field = q.order_by.as_deref().or(sort_by);
    let desc = match q.sort.as_deref().or(sort_order) {
        Some("asc") => false,
        Some("desc") => true,
        _ => field.is_some(),
    };
    if let Some(f) = field {
        let key = |r: &Rec| -> (i64, u64) {
            let k = match (f, r) {
                ("created_at" | "created", _) => r.created().timestamp(),
                ("updated_at" | "updated", _) => r.updated().timestamp(),
                ("priority", Rec::Ticket(x)) => x
                    .priority
                    .as_deref()
                    .and_then(priority_rank)
                    .map_or(-1, |v| v as i64),
                ("status", Rec::Ticket(x)) => status_rank(&x.status).map_or(-1, |v| v as i64),
                ("ticket_type", Rec::Ticket(x)) => x.kind.as_deref().map_or(-1, |k| k.len() as i64),
                _ => 0,
            };
            (k, r.id())
        };
        out.sort_by_key(key);
        if desc {
            out.reverse();
        }
    }
    out
}
