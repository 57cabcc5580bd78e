//! Ticket tags: `GET` list, `POST` set (replace), `PUT` add, `DELETE` remove; add/remove honour
//! `safe_update` + `updated_stamp` (409 when stale).

use serde_json::{Value, json};

use super::tickets::check_safe_update;
use super::write::normalize_tags;
use crate::api::ctx::Ctx;
use crate::api::reply::{Reply, Res, not_found, param_missing};
use crate::tenants::Tenant;

pub fn handle(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    let write = cx.method != "GET";
    cx.agent("tickets", write)?;
    let x = t.tickets.get_mut(&id).ok_or_else(not_found)?;
    if !write {
        return Ok(Reply::ok(json!({"tags": x.tags})));
    }
    let empty = serde_json::Map::new();
    let obj = cx
        .body
        .as_ref()
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let tags = obj
        .get("tags")
        .map(normalize_tags)
        .ok_or_else(|| param_missing("tags"))?;
    check_safe_update(obj, x)?;
    if x.status == "closed" {
        return Err(crate::api::reply::record_invalid(
            "status",
            "Status: closed prevents ticket update",
            None,
        ));
    }
    match cx.method.as_str() {
        "POST" => x.tags = tags,
        "PUT" => {
            for g in tags {
                if !x.tags.contains(&g) {
                    x.tags.push(g);
                }
            }
        }
        _ => x.tags.retain(|g| !tags.contains(g)),
    }
    x.updated_at = cx.now;
    match cx.method.as_str() {
        "POST" => Ok(Reply::json(201, json!({"tags": x.tags}))),
        "PUT" => Ok(Reply::ok(json!({"tags": x.tags}))),
        _ => Ok(Reply::empty(204)),
    }
}
