//! The route table: `(method, path segments)` → handler. Paths work with and without `.json`.

use super::ctx::Ctx;
use super::reply::{Res, invalid_endpoint, not_found};
use crate::handlers::{comments, orgs, search, tags, tickets, users, views};
use crate::tenants::Tenant;

/// Parse a numeric id segment (anything else is a missing record, like Zendesk).
pub fn id(seg: &str) -> Result<u64, super::reply::Reply> {
    seg.parse::<u64>().map_err(|_| not_found())
}

/// Dispatch one request against a locked tenant.
pub fn route(t: &mut Tenant, cx: &Ctx) -> Res {
    let segs: Vec<&str> = cx.path.split('/').filter(|s| !s.is_empty()).collect();
    let m = cx.method.as_str();
    let Some(rest) = segs.strip_prefix(&["api", "v2"]) else {
        return Err(invalid_endpoint());
    };
    if !(m == "GET" && rest == ["users", "me"]) {
        cx.principal()?;
    }
    match (m, rest) {
        ("GET", ["tickets"]) => tickets::list(t, cx),
        ("POST", ["tickets"]) => tickets::create(t, cx),
        ("POST", ["tickets", "create_many"]) => tickets::create_many(t, cx),
        ("GET", ["tickets", "show_many"]) => tickets::show_many(t, cx),
        ("GET", ["tickets", i]) => tickets::show(t, cx, id(i)?),
        ("PUT" | "PATCH", ["tickets", i]) => tickets::update(t, cx, id(i)?),
        ("DELETE", ["tickets", i]) => tickets::delete(t, cx, id(i)?),
        ("GET" | "POST" | "PUT" | "DELETE", ["tickets", i, "tags"]) => tags::handle(t, cx, id(i)?),
        ("GET", ["tickets", i, "comments"]) => comments::list(t, cx, id(i)?),
        ("GET", ["search"]) => search::search(t, cx),
        ("GET", ["search", "count"]) => search::count(t, cx),
        ("GET", ["search", "export"]) => search::export(t, cx),
        ("GET", ["users"]) => users::list(t, cx),
        ("POST", ["users"]) => users::create(t, cx),
        ("GET", ["users", "me"]) => users::me(t, cx),
        ("GET", ["users", "search"]) => users::search(t, cx),
        ("GET", ["users", i]) => users::show(t, cx, id(i)?),
        ("PUT", ["users", i]) => users::update(t, cx, id(i)?),
        ("GET", ["organizations"]) => orgs::list(t, cx),
        ("POST", ["organizations"]) => orgs::create(t, cx),
        ("GET", ["organizations", i]) => orgs::show(t, cx, id(i)?),
        ("GET", ["groups"]) => orgs::groups_list(t, cx),
        ("GET", ["groups", i]) => orgs::group_show(t, cx, id(i)?),
        ("GET", ["views"]) => views::list(t, cx, false),
        ("GET", ["views", "active"]) => views::list(t, cx, true),
        ("GET", ["views", i]) => views::show(t, cx, id(i)?),
        ("GET", ["views", i, "tickets"]) => views::tickets(t, cx, id(i)?),
        _ => Err(invalid_endpoint()),
    }
}
