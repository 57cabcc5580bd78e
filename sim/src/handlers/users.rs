//! Users: list (`role=` / `role[]=` filters), create (duplicate email → 422 DuplicateValue),
//! show, update, `/users/me` (anonymous 200 for missing/bad-password credentials), search.

use serde_json::{Value, json};

use super::list_url;
use super::write::{normalize_tags, valid_email};
use crate::api::ctx::Ctx;
use crate::api::pagination;
use crate::api::reply::{
    Reply, Res, forbidden, invalid_token, not_found, record_invalid, unauthorized,
};
use crate::auth::AuthOutcome;
use crate::tenants::{ROLES, Tenant, User, render};

pub fn me(t: &mut Tenant, cx: &Ctx) -> Res {
    match &cx.auth {
        AuthOutcome::Ok(p) => {
            let u = t.users.get(&p.user_id).ok_or_else(unauthorized)?;
            let mut v = render::user(t, u);
            v["authenticity_token"] = json!(format!("sim-{}", u.id));
            Ok(Reply::ok(json!({"user": v})))
        }
        AuthOutcome::Missing | AuthOutcome::BadPassword { .. } => {
            Ok(Reply::ok(json!({"user": render::anonymous_user()})))
        }
        AuthOutcome::BadBearer => Err(invalid_token()),
        AuthOutcome::BadToken { .. } | AuthOutcome::Malformed => Err(unauthorized()),
    }
}

pub fn list(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("users", false)?;
    let mode = pagination::mode(&cx.query, true)?;
    let mut roles: Vec<&str> = cx.query.all("role[]");
    roles.extend(cx.query.all("role"));
    let ext = cx.query.get("external_id");
    let items: Vec<(u64, Value)> = t
        .users
        .values()
        .filter(|u| roles.is_empty() || roles.contains(&u.role.as_str()))
        .filter(|_| ext.is_none())
        .map(|u| (u.id, render::user(t, u)))
        .collect();
    let origin = t.origin();
    Ok(Reply::list(pagination::page_any(
        "users",
        "id",
        items,
        &mode,
        &list_url(&origin, cx),
    )?))
}

pub fn show(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    let p = cx.scoped("users", false)?;
    let u = t.users.get(&id).ok_or_else(not_found)?;
    if !p.is_agent() && p.user_id != id {
        return Err(forbidden());
    }
    Ok(Reply::ok(json!({"user": render::user(t, u)})))
}

fn email_taken(t: &Tenant, email: &str, except: Option<u64>) -> Result<(), Reply> {
    if t.user_by_email(email).is_some_and(|u| Some(u.id) != except) {
        return Err(record_invalid(
            "email",
            &format!("Email: {email} is already being used by another user"),
            Some("DuplicateValue"),
        ));
    }
    Ok(())
}

fn role_of(v: Option<&Value>) -> Result<Option<String>, Reply> {
    match v.and_then(Value::as_str) {
        None => Ok(None),
        Some(r) if ROLES.contains(&r) => Ok(Some(r.to_string())),
        Some(r) => Err(record_invalid(
            "role",
            &format!("Role: {r} is not valid"),
            Some("InvalidValue"),
        )),
    }
}

pub fn create(t: &mut Tenant, cx: &Ctx) -> Res {
    let p = cx.agent("users", true)?.clone();
    let obj = cx.body_obj("user")?;
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("");
    if name.is_empty() {
        return Err(record_invalid(
            "name",
            "Name: is too short (minimum one character)",
            Some("BlankValue"),
        ));
    }
    let email = obj
        .get("email")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(e) = email {
        if !valid_email(e) {
            return Err(record_invalid(
                "email",
                &format!("Email: {e} is not properly formatted"),
                Some("InvalidFormat"),
            ));
        }
        email_taken(t, e, None)?;
    }
    let role = role_of(obj.get("role"))?.unwrap_or_else(|| "end-user".into());
    if role != "end-user" && p.role != "admin" {
        return Err(forbidden());
    }
    let org = obj.get("organization_id").and_then(Value::as_u64);
    if org.is_some_and(|o| !t.organizations.contains_key(&o)) {
        return Err(record_invalid(
            "organization_id",
            "Organization: is invalid",
            Some("InvalidValue"),
        ));
    }
    let id = t.alloc_id();
    let u = User {
        id,
        name: name.to_string(),
        email: email.map(str::to_lowercase),
        role,
        organization_id: org,
        group_ids: Vec::new(),
        default_group_id: None,
        phone: obj.get("phone").and_then(Value::as_str).map(str::to_string),
        verified: obj
            .get("verified")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        active: true,
        tags: obj.get("tags").map(normalize_tags).unwrap_or_default(),
        photo: false,
        created_at: cx.now,
        updated_at: cx.now,
    };
    let v = render::user(t, &u);
    t.users.insert(id, u);
    Ok(Reply::json(201, json!({"user": v}))
        .header("location", format!("{}/api/v2/users/{id}.json", t.origin())))
}

pub fn update(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    let p = cx.scoped("users", true)?.clone();
    let obj = cx.body_obj("user")?;
    if !t.users.contains_key(&id) {
        return Err(not_found());
    }
    if !p.is_agent() && p.user_id != id {
        return Err(forbidden());
    }
    if let Some(e) = obj.get("email").and_then(Value::as_str) {
        email_taken(t, e, Some(id))?;
    }
    let role = role_of(obj.get("role"))?;
    if role.is_some() && p.role != "admin" {
        return Err(forbidden());
    }
    let u = t.users.get_mut(&id).ok_or_else(not_found)?;
    if let Some(n) = obj.get("name").and_then(Value::as_str) {
        u.name = n.to_string();
    }
    if let Some(e) = obj.get("email").and_then(Value::as_str) {
        u.email = Some(e.to_lowercase());
    }
    if let Some(r) = role {
        u.role = r;
    }
    if let Some(ph) = obj.get("phone") {
        u.phone = ph.as_str().map(str::to_string);
    }
    if let Some(tags) = obj.get("tags") {
        u.tags = normalize_tags(tags);
    }
    u.updated_at = cx.now;
    let u = t.users.get(&id).ok_or_else(not_found)?;
    Ok(Reply::ok(json!({"user": render::user(t, u)})))
}

pub fn search(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("users", false)?;
    let q = cx.query.get("query").unwrap_or("").to_lowercase();
    let ext = cx.query.get("external_id");
    let items: Vec<Value> = t
        .users
        .values()
        .filter(|u| {
            ext.is_none()
                && (q.is_empty()
                    || u.name.to_lowercase().contains(&q)
                    || u.email.as_deref().is_some_and(|e| e.contains(&q)))
        })
        .map(|u| render::user(t, u))
        .collect();
    let origin = t.origin();
    let mode = pagination::mode(&cx.query, false)?;
    let pagination::PageMode::Offset { page, per_page } = mode else {
        unreachable!("cursor disabled")
    };
    Ok(Reply::list(pagination::offset_page(
        "users",
        items,
        page,
        per_page,
        &list_url(&origin, cx),
    )))
}
