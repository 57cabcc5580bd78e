//! Organizations (list, show, create) and groups (list, show).

use serde_json::{Value, json};

use super::list_url;
use super::write::normalize_tags;
use crate::api::ctx::Ctx;
use crate::api::pagination;
use crate::api::reply::{Reply, Res, not_found, record_invalid};
use crate::tenants::{Organization, Tenant, render};

pub fn list(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("organizations", false)?;
    let mode = pagination::mode(&cx.query, true)?;
    let items: Vec<(u64, Value)> = t
        .organizations
        .values()
        .map(|o| (o.id, render::organization(t, o)))
        .collect();
    let origin = t.origin();
    Ok(Reply::list(pagination::page_any(
        "organizations",
        "id",
        items,
        &mode,
        &list_url(&origin, cx),
    )?))
}

pub fn show(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    cx.agent("organizations", false)?;
    let o = t.organizations.get(&id).ok_or_else(not_found)?;
    Ok(Reply::ok(
        json!({"organization": render::organization(t, o)}),
    ))
}

pub fn create(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("organizations", true)?;
    let obj = cx.body_obj("organization")?;
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("");
    if name.is_empty() {
        return Err(record_invalid(
            "name",
            "Name: cannot be blank",
            Some("BlankValue"),
        ));
    }
    if t.organizations
        .values()
        .any(|o| o.name.eq_ignore_ascii_case(name))
    {
        return Err(record_invalid(
            "name",
            "Name: has already been taken",
            Some("DuplicateValue"),
        ));
    }
    let id = t.alloc_id();
    let o = Organization {
        id,
        name: name.to_string(),
        domain_names: obj
            .get("domain_names")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        tags: obj.get("tags").map(normalize_tags).unwrap_or_default(),
        details: obj
            .get("details")
            .and_then(Value::as_str)
            .map(str::to_string),
        notes: obj.get("notes").and_then(Value::as_str).map(str::to_string),
        group_id: None,
        external_id: obj
            .get("external_id")
            .and_then(Value::as_str)
            .map(str::to_string),
        created_at: cx.now,
        updated_at: cx.now,
    };
    let v = render::organization(t, &o);
    t.organizations.insert(id, o);
    Ok(Reply::json(201, json!({"organization": v})))
}

pub fn groups_list(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("groups", false)?;
    let mode = pagination::mode(&cx.query, true)?;
    let user = cx.query.get("user_id").and_then(|u| u.parse::<u64>().ok());
    let items: Vec<(u64, Value)> = t
        .groups
        .values()
        .filter(|g| {
            user.is_none_or(|u| t.users.get(&u).is_some_and(|u| u.group_ids.contains(&g.id)))
        })
        .map(|g| (g.id, render::group(t, g)))
        .collect();
    let origin = t.origin();
    Ok(Reply::list(pagination::page_any(
        "groups",
        "name,id",
        items,
        &mode,
        &list_url(&origin, cx),
    )?))
}

pub fn group_show(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    cx.agent("groups", false)?;
    let g = t.groups.get(&id).ok_or_else(not_found)?;
    Ok(Reply::ok(json!({"group": render::group(t, g)})))
}
