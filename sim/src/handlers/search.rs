//! `GET /search` (offset only, 1,000-result cap, `count` = true total, `result_type` on every
//! result), `/search/count` and `/search/export` (cursor only, needs `filter[type]`).

use serde_json::{Value, json};

use super::list_url;
use crate::api::ctx::Ctx;
use crate::api::pagination::{self, ListUrl};
use crate::api::reply::{Reply, Res};
use crate::search::{self, Rec};
use crate::tenants::{Tenant, render};

fn render_rec(t: &Tenant, r: Rec) -> Value {
    let mut v = match r {
        Rec::Ticket(x) => render::ticket(t, x),
        Rec::User(u) => render::user(t, u),
        Rec::Org(o) => render::organization(t, o),
        Rec::Group(g) => render::group(t, g),
    };
    v["result_type"] = json!(r.kind());
    v
}

fn query_or_400(cx: &Ctx) -> Result<String, Reply> {
    match cx.query.get("query") {
        Some(q) if !q.trim().is_empty() => Ok(q.to_string()),
        _ => Err(Reply::json(
            400,
            json!({"error": "invalid", "description": "Invalid search: query parameter is required"}),
        )),
    }
}

pub fn search(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("search", false)?;
    if cx.query.has("page[size]") || cx.query.has("page[after]") || cx.query.has("page[before]") {
        return Err(Reply::json(
            400,
            json!({"error": {"title": "Invalid attribute", "message": "You passed an invalid value for the page attribute. Invalid parameter: page must be an integer from api/v2/search/index"}}),
        ));
    }
    let q = query_or_400(cx)?;
    let pagination::PageMode::Offset { page, per_page } = pagination::mode(&cx.query, false)?
    else {
        unreachable!("cursor disabled")
    };
    if page.saturating_mul(per_page) > 1000 {
        return Err(Reply::json(
            422,
            json!({"error": "invalid", "description": "Invalid search: Requested response size was greater than Search Response Limits"}),
        ));
    }
    let parsed = search::parse(&q);
    let hits = search::run(
        t,
        &parsed,
        None,
        cx.me(),
        cx.query.get("sort_by"),
        cx.query.get("sort_order"),
        cx.now,
    );
    let items: Vec<Value> = hits.iter().map(|r| render_rec(t, *r)).collect();
    let origin = t.origin();
    let mut out = pagination::offset_page("results", items, page, per_page, &list_url(&origin, cx));
    out["facets"] = Value::Null;
    Ok(Reply::list(out))
}

pub fn count(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("search", false)?;
    let q = query_or_400(cx)?;
    let parsed = search::parse(&q);
    let n = search::run(t, &parsed, None, cx.me(), None, None, cx.now).len();
    Ok(Reply::ok(json!({"count": n})))
}

pub fn export(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("search", false)?;
    let q = query_or_400(cx)?;
    let Some(ty) = cx.query.get("filter[type]").map(str::to_string) else {
        return Err(Reply::json(
            400,
            json!({"error": "InvalidPaginationParameter", "description": "filter[type] is required for search export"}),
        ));
    };
    let size = cx
        .query
        .get("page[size]")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(100)
        .clamp(1, 1000);
    let after = cx
        .query
        .get("page[after]")
        .and_then(pagination::decode_cursor);
    let parsed = search::parse(&q);
    let hits = search::run(t, &parsed, Some(&ty), cx.me(), None, None, cx.now);
    let items: Vec<(u64, Value)> = hits.iter().map(|r| (r.id(), render_rec(t, *r))).collect();
    let origin = t.origin();
    let url = ListUrl {
        origin: cx.link_origin.as_deref().unwrap_or(&origin),
        path: &cx.path,
        query: &cx.query,
    };
    let mut out = pagination::cursor_page("results", "id", items, size, after, None, &url)?;
    out["facets"] = Value::Null;
    out["meta"]["before_cursor"] = Value::Null;
    out["links"]["prev"] = Value::Null;
    Ok(Reply::list(out))
}
