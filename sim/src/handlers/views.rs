//! Views: list (`access=personal|shared|account`, `active=`, `group_id=`, `sort_by`
//! alphabetical|created_at|updated_at|position, `sort_order`), `/views/active` (offset only),
//! show, and `/views/{id}/tickets` (the view's conditions evaluated on tickets).

use serde_json::{Value, json};

use super::list_url;
use crate::api::ctx::Ctx;
use crate::api::pagination::{self, PageMode};
use crate::api::reply::{Reply, Res, forbidden, not_found};
use crate::auth::Principal;
use crate::tenants::{Tenant, Ticket, View, ViewAccess, priority_rank, render, status_rank};

fn can_see(t: &Tenant, p: &Principal, v: &View) -> bool {
    match v.access {
        ViewAccess::Account => true,
        ViewAccess::Personal(u) => u == p.user_id || p.role == "admin",
        ViewAccess::Shared(g) => {
            p.role == "admin"
                || t.users
                    .get(&p.user_id)
                    .is_some_and(|u| u.group_ids.contains(&g))
        }
    }
}

pub fn list(t: &mut Tenant, cx: &Ctx, active_only: bool) -> Res {
    let p = cx.agent("views", false)?;
    let mode = if active_only {
        pagination::mode(&cx.query, false)?
    } else {
        pagination::mode(&cx.query, true)?
    };
    let access = cx.query.get("access");
    let active = if active_only {
        Some(true)
    } else {
        cx.query.flag("active")
    };
    let group = cx.query.get("group_id").and_then(|g| g.parse::<u64>().ok());
    let mut items: Vec<&View> = t
        .views
        .values()
        .filter(|v| can_see(t, p, v))
        .filter(|v| active.is_none_or(|a| v.active == a))
        .filter(|v| match access {
            Some("personal") => matches!(v.access, ViewAccess::Personal(_)),
            Some("shared") => matches!(v.access, ViewAccess::Shared(_)),
            Some("account") => v.access == ViewAccess::Account,
            _ => true,
        })
        .filter(|v| group.is_none_or(|g| v.access == ViewAccess::Shared(g)))
        .collect();
    match cx.query.get("sort_by") {
        Some("alphabetical") => items.sort_by_key(|v| v.title.to_lowercase()),
        Some("created_at") => items.sort_by_key(|v| (v.created_at, v.id)),
        Some("updated_at") => items.sort_by_key(|v| (v.updated_at, v.id)),
        _ => items.sort_by_key(|v| (v.position, v.id)),
    }
    if cx.query.get("sort_order") == Some("desc") {
        items.reverse();
    }
    let rendered: Vec<(u64, Value)> = items.iter().map(|v| (v.id, render::view(t, v))).collect();
    let origin = t.origin();
    Ok(Reply::list(pagination::page_any(
        "views",
        "position,id",
        rendered,
        &mode,
        &list_url(&origin, cx),
    )?))
}

pub fn show(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    let p = cx.agent("views", false)?;
    let v = t.views.get(&id).ok_or_else(not_found)?;
    if !can_see(t, p, v) {
        return Err(forbidden());
    }
    Ok(Reply::ok(json!({"view": render::view(t, v)})))
}

fn cond_match(x: &Ticket, c: &Value, me: u64) -> bool {
    let field = c.get("field").and_then(Value::as_str).unwrap_or("");
    let op = c.get("operator").and_then(Value::as_str).unwrap_or("is");
    let val = c
        .get("value")
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        })
        .unwrap_or_default();
    let rank_cmp = |a: Option<usize>, b: Option<usize>| match (a, b, op) {
        (Some(a), Some(b), "less_than") => a < b,
        (Some(a), Some(b), "greater_than") => a > b,
        (a, b, "is_not") => a != b,
        (a, b, _) => a == b,
    };
    let id_cmp = |a: Option<u64>| {
        let b = match val.as_str() {
            "current_user" => Some(me),
            "" | "null" => None,
            v => v.parse().ok(),
        };
        if op == "is_not" { a != b } else { a == b }
    };
    match field {
        "status" => rank_cmp(status_rank(&x.status), status_rank(&val)),
        "priority" => rank_cmp(
            x.priority.as_deref().and_then(priority_rank),
            priority_rank(&val),
        ),
        "assignee_id" => id_cmp(x.assignee_id),
        "group_id" => id_cmp(x.group_id),
        "requester_id" => id_cmp(Some(x.requester_id)),
        "type" => (x.kind.as_deref() == Some(val.as_str())) != (op == "is_not"),
        "current_tags" => {
            x.tags.iter().any(|g| val.split(' ').any(|v| v == g)) != (op == "not_includes")
        }
        _ => true,
    }
}

pub fn tickets(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    let p = cx.agent("views", false)?;
    let v = t.views.get(&id).ok_or_else(not_found)?;
    if !can_see(t, p, v) {
        return Err(forbidden());
    }
    let all: Vec<Value> = v
        .conditions
        .get("all")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let any: Vec<Value> = v
        .conditions
        .get("any")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let me = p.user_id;
    let mut items: Vec<&Ticket> = t
        .tickets
        .values()
        .filter(|x| {
            all.iter().all(|c| cond_match(x, c, me))
                && (any.is_empty() || any.iter().any(|c| cond_match(x, c, me)))
        })
        .collect();
    items.reverse();
    let mode = pagination::mode(&cx.query, true)?;
    let rendered: Vec<(u64, Value)> = items.iter().map(|x| (x.id, render::ticket(t, x))).collect();
    let origin = t.origin();
    let page = match mode {
        PageMode::Offset { .. } | PageMode::Cursor { .. } => {
            pagination::page_any("tickets", "id", rendered, &mode, &list_url(&origin, cx))?
        }
    };
    Ok(Reply::list(page))
}
