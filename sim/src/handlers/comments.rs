//! Ticket comments: oldest first (or `sort_order=desc`), `include=users`,
//! `include_inline_images`, offset and cursor pagination. End-users see public comments only.

use serde_json::Value;

use super::list_url;
use crate::api::ctx::Ctx;
use crate::api::pagination;
use crate::api::reply::{Reply, Res, forbidden, not_found};
use crate::tenants::{Tenant, render};

pub fn list(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    let p = cx.scoped("tickets", false)?;
    let x = t.tickets.get(&id).ok_or_else(not_found)?;
    if !p.is_agent() && x.requester_id != p.user_id {
        return Err(forbidden());
    }
    let agent = p.is_agent();
    let mode = pagination::mode(&cx.query, true)?;
    let mut items: Vec<_> = x.comments.iter().filter(|c| agent || c.public).collect();
    if cx.query.get("sort_order") == Some("desc") || cx.query.get("sort") == Some("-created_at") {
        items.reverse();
    }
    let mut authors: Vec<u64> = items.iter().map(|c| c.author_id).collect();
    let rendered: Vec<(u64, Value)> = items
        .iter()
        .map(|c| (c.id, render::comment(t, c)))
        .collect();
    let origin = t.origin();
    let mut page = pagination::page_any(
        "comments",
        "created_at,id",
        rendered,
        &mode,
        &list_url(&origin, cx),
    )?;
    if cx.query.list("include").iter().any(|s| s == "users") {
        authors.sort_unstable();
        authors.dedup();
        page["users"] = authors
            .iter()
            .filter_map(|a| t.users.get(a))
            .map(|u| render::user(t, u))
            .collect();
    }
    Ok(Reply::list(page))
}
