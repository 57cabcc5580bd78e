//! Tickets: list (offset + cursor), show with sideloads, create (with `Idempotency-Key`),
//! create_many, update (PATCH semantics; `tags` replaces; comments public/internal), delete.

use serde_json::{Map, Value, json};

use super::list_url;
use super::write::{self, audit_value, change_event};
use crate::api::ctx::Ctx;
use crate::api::pagination::{self, PageMode};
use crate::api::reply::{Reply, Res, forbidden, invalid_pagination, not_found, record_invalid};
use crate::tenants::render::{self, ts};
use crate::tenants::{Comment, Tenant, Ticket, priority_rank, status_rank};

const KNOWN_CREATE_KEYS: &[&str] = &[
    "comment",
    "subject",
    "priority",
    "type",
    "status",
    "tags",
    "assignee_id",
    "assignee_email",
    "group_id",
    "requester",
    "requester_id",
    "submitter_id",
    "custom_fields",
    "external_id",
    "description",
    "organization_id",
    "due_at",
    "collaborator_ids",
    "email_cc_ids",
    "follower_ids",
    "id",
    "additional_tags",
    "remove_tags",
    "safe_update",
    "updated_stamp",
    "fields",
    "brand_id",
    "ticket_form_id",
    "via",
    "recipient",
    "problem_id",
    "custom_status_id",
    "is_public",
    "raw_subject",
    "url",
];

fn sort_key(x: &Ticket, field: &str) -> (i64, String, u64) {
    match field {
        "updated_at" => (x.updated_at.timestamp(), String::new(), x.id),
        "created_at" => (x.created_at.timestamp(), String::new(), x.id),
        "status" => (
            status_rank(&x.status).unwrap_or(0) as i64,
            String::new(),
            x.id,
        ),
        "priority" => (
            x.priority
                .as_deref()
                .and_then(priority_rank)
                .map_or(-1, |v| v as i64),
            String::new(),
            x.id,
        ),
        "subject" => (0, x.subject.to_lowercase(), x.id),
        "assignee" | "assignee_id" => (x.assignee_id.map_or(-1, |v| v as i64), String::new(), x.id),
        _ => (x.id as i64, String::new(), x.id),
    }
}

/// Sort tickets for a list endpoint. Cursor mode reads `sort=[-]id|updated_at|status`
/// (others → 400, `sort_by` ignored); offset mode reads `sort_by` + `sort_order`.
pub fn sorted<'a>(
    cx: &Ctx,
    mode: &PageMode,
    mut items: Vec<&'a Ticket>,
) -> Result<Vec<&'a Ticket>, Reply> {
    let (field, desc) = if mode.is_cursor() {
        match cx.query.get("sort") {
            None | Some("") => ("id".to_string(), false),
            Some(s) => {
                let (desc, f) = match s.strip_prefix('-') {
                    Some(f) => (true, f),
                    None => (false, s),
                };
                if !["id", "updated_at", "status"].contains(&f) {
                    return Err(invalid_pagination(&format!("sort is not valid: {s}")));
                }
                (f.to_string(), desc)
            }
        }
    } else {
        let f = cx.query.get("sort_by").unwrap_or("id").to_string();
        let desc = cx.query.get("sort_order") == Some("desc");
        (f, desc)
    };
    items.sort_by_key(|x| sort_key(x, &field));
    if desc {
        items.reverse();
    }
    Ok(items)
}

pub fn list(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("tickets", false)?;
    let mode = pagination::mode(&cx.query, true)?;
    let ext = cx.query.get("external_id");
    let items: Vec<&Ticket> = t
        .tickets
        .values()
        .filter(|x| ext.is_none_or(|e| x.external_id.as_deref() == Some(e)))
        .collect();
    let items = sorted(cx, &mode, items)?;
    let order = if mode.is_cursor() { "id" } else { "nice_id" };
    let rendered: Vec<(u64, Value)> = items.iter().map(|x| (x.id, render::ticket(t, x))).collect();
    let origin = t.origin();
    let page = pagination::page_any("tickets", order, rendered, &mode, &list_url(&origin, cx))?;
    Ok(Reply::list(page))
}

/// `include=users,groups,organizations` sideloads for a set of tickets.
fn sideload(t: &Tenant, cx: &Ctx, tickets: &[&Ticket], out: &mut Value) {
    let inc = cx.query.list("include");
    if inc.iter().any(|s| s == "users") {
        let mut ids: Vec<u64> = Vec::new();
        for x in tickets {
            ids.extend(
                [Some(x.requester_id), Some(x.submitter_id), x.assignee_id]
                    .into_iter()
                    .flatten(),
            );
        }
        ids.sort_unstable();
        ids.dedup();
        out["users"] = ids
            .iter()
            .filter_map(|i| t.users.get(i))
            .map(|u| render::user(t, u))
            .collect();
    }
    if inc.iter().any(|s| s == "groups") {
        let mut ids: Vec<u64> = tickets.iter().filter_map(|x| x.group_id).collect();
        ids.sort_unstable();
        ids.dedup();
        out["groups"] = ids
            .iter()
            .filter_map(|i| t.groups.get(i))
            .map(|g| render::group(t, g))
            .collect();
    }
    if inc.iter().any(|s| s == "organizations") {
        let mut ids: Vec<u64> = tickets.iter().filter_map(|x| x.organization_id).collect();
        ids.sort_unstable();
        ids.dedup();
        out["organizations"] = ids
            .iter()
            .filter_map(|i| t.organizations.get(i))
            .map(|o| render::organization(t, o))
            .collect();
    }
}

/// Can this caller see the ticket? Agents yes; end-users only their own.
fn visible(cx: &Ctx, x: &Ticket) -> Result<(), Reply> {
    let p = cx.scoped("tickets", false)?;
    if p.is_agent() || x.requester_id == p.user_id {
        Ok(())
    } else {
        Err(forbidden())
    }
}

pub fn show(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    let x = t.tickets.get(&id).ok_or_else(not_found)?;
    visible(cx, x)?;
    let mut out = json!({"ticket": render::ticket(t, x)});
    sideload(t, cx, &[x], &mut out);
    Ok(Reply::ok(out))
}

pub fn show_many(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("tickets", false)?;
    let ids: Vec<u64> = cx
        .query
        .list("ids")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    if ids.len() > 100 {
        return Err(too_many_values());
    }
    let items: Vec<&Ticket> = ids.iter().filter_map(|i| t.tickets.get(i)).collect();
    let count = items.len();
    let mut out = json!({
        "tickets": items.iter().map(|x| render::ticket(t, x)).collect::<Vec<_>>(),
        "next_page": null, "previous_page": null, "count": count,
    });
    sideload(t, cx, &items, &mut out);
    Ok(Reply::list(out))
}

pub fn delete(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    cx.agent("tickets", true)?;
    t.tickets.remove(&id).ok_or_else(not_found)?;
    Ok(Reply::empty(204))
}

fn too_many_values() -> Reply {
    Reply::json(
        400,
        json!({"error": "TooManyValues", "description": "Parameter  cannot specify more than 100 values", "max_count": 100}),
    )
}

fn audit(
    t: &mut Tenant,
    cx: &Ctx,
    ticket_id: u64,
    audit_id: u64,
    author: u64,
    events: Vec<Value>,
) -> Value {
    let _ = t;
    json!({
        "id": audit_id,
        "ticket_id": ticket_id,
        "created_at": ts(cx.now),
        "author_id": author,
        "metadata": {"system": {
            "client": cx.header("user-agent").unwrap_or("unknown"),
            "ip_address": cx.client_ip,
            "location": "Localhost",
            "latitude": 0.0, "longitude": 0.0,
        }, "custom": {}},
        "events": events,
        "via": {"channel": "api", "source": {"from": {}, "to": {}, "rel": null}},
    })
}

fn comment_event(c: &Comment) -> Value {
    json!({
        "id": c.id, "type": "Comment", "author_id": c.author_id, "body": c.body,
        "html_body": format!("<div class=\"zd-comment\" dir=\"auto\"><p dir=\"auto\">{}</p></div>", c.body),
        "plain_body": c.body, "public": c.public, "attachments": [], "audit_id": c.audit_id,
    })
}

/// Create one ticket from a `ticket` object; returns (status, body, location, unknown keys).
fn create_one(
    t: &mut Tenant,
    cx: &Ctx,
    obj: &Map<String, Value>,
) -> Result<(Value, String, Vec<String>), Reply> {
    let p = cx.agent("tickets", true)?.clone();
    let unknown: Vec<String> = obj
        .keys()
        .filter(|k| !KNOWN_CREATE_KEYS.contains(&k.as_str()))
        .cloned()
        .collect();
    let comment = obj.get("comment");
    let body = comment
        .and_then(|c| c.get("body").or_else(|| c.get("html_body")))
        .and_then(Value::as_str)
        .or_else(|| comment.and_then(Value::as_str))
        .or_else(|| obj.get("description").and_then(Value::as_str))
        .unwrap_or("")
        .to_string();
    if body.trim().is_empty() {
        return Err(record_invalid(
            "description",
            "Description: cannot be blank",
            Some("BlankValue"),
        ));
    }
    let public = comment
        .and_then(|c| c.get("public"))
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let priority = write::priority(obj)?.flatten();
    let kind = write::ticket_type(obj)?.flatten();
    let status = write::status(obj)?.flatten();
    let assignee = write::assignee(t, obj)?.flatten();
    let group_id =
        write::id_field(obj, "group_id", |i| t.groups.contains_key(&i), "Group")?.flatten();
    let org_id = write::id_field(
        obj,
        "organization_id",
        |i| t.organizations.contains_key(&i),
        "Organization",
    )?
    .flatten();
    let requester_id = if let Some(r) = obj.get("requester").filter(|v| v.is_object()) {
        write::requester(t, r, cx.now)?
    } else {
        write::id_field(
            obj,
            "requester_id",
            |i| t.users.contains_key(&i),
            "Requester",
        )?
        .flatten()
        .unwrap_or(p.user_id)
    };
    let subject = obj
        .get("subject")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            let first: String = body.lines().next().unwrap_or("").chars().take(80).collect();
            first
        });
    let tags = obj
        .get("tags")
        .map(write::normalize_tags)
        .unwrap_or_default();
    let status = status.unwrap_or_else(|| {
        if assignee.is_some() {
            "open".into()
        } else {
            "new".into()
        }
    });
    if status == "closed" {
        return Err(record_invalid(
            "status",
            "Status: closed is not valid for ticket creation",
            Some("InvalidValue"),
        ));
    }
    let custom_fields = obj
        .get("custom_fields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let organization_id =
        org_id.or_else(|| t.users.get(&requester_id).and_then(|u| u.organization_id));
    let id = t.next_ticket_id;
    t.next_ticket_id += 1;
    let audit_id = t.alloc_id();
    let cid = t.alloc_id();
    let c = Comment {
        id: cid,
        audit_id,
        author_id: p.user_id,
        body: body.clone(),
        public,
        channel: "api".into(),
        created_at: cx.now,
    };
    let ticket = Ticket {
        id,
        external_id: obj
            .get("external_id")
            .and_then(Value::as_str)
            .map(str::to_string),
        subject,
        description: body,
        kind,
        priority,
        status,
        requester_id,
        submitter_id: p.user_id,
        assignee_id: assignee,
        organization_id,
        group_id,
        tags,
        custom_fields,
        channel: "api".into(),
        is_public: public,
        due_at: obj
            .get("due_at")
            .and_then(Value::as_str)
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.to_utc()),
        comments: vec![c.clone()],
        created_at: cx.now,
        updated_at: cx.now,
        solved_at: None,
    };
    let mut events = vec![comment_event(&c)];
    let fields: [(&str, Value); 7] = [
        ("subject", json!(ticket.subject)),
        ("requester_id", audit_value(Some(ticket.requester_id))),
        ("priority", json!(ticket.priority)),
        ("type", json!(ticket.kind)),
        ("status", json!(ticket.status)),
        ("assignee_id", audit_value(ticket.assignee_id)),
        ("organization_id", audit_value(ticket.organization_id)),
    ];
    for (f, v) in fields {
        let eid = t.alloc_id();
        events.push(change_event(eid, "Create", f, v, None));
    }
    // The default "Notify requester of new proactive ticket" trigger.
    let nid = t.alloc_id();
    events.push(json!({
        "id": nid, "type": "Notification",
        "via": {"channel": "rule", "source": {"from": {"deleted": false, "title": "Notify requester of new proactive ticket", "id": 360000000001u64, "revision_id": 1}, "rel": "trigger"}},
        "subject": format!("{{{{ticket.title}}}}"),
        "body": "This ticket was created on your behalf.\n\n{{ticket.comments_formatted}}",
        "recipients": [ticket.requester_id],
    }));
    let rendered = render::ticket(t, &ticket);
    t.tickets.insert(id, ticket);
    let audit = audit(t, cx, id, audit_id, p.user_id, events);
    let location = format!("{}/api/v2/tickets/{id}.json", t.origin());
    Ok((
        json!({"ticket": rendered, "audit": audit}),
        location,
        unknown,
    ))
}

pub fn create(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("tickets", true)?;
    let obj = cx.body_obj("ticket")?;
    let key = cx.header("idempotency-key").map(str::to_string);
    let request = cx.body.clone().unwrap_or(Value::Null);
    if let Some(k) = &key
        && let Some(prev) = t.idempotency.get(k)
    {
        if prev.request != request {
            return Err(Reply::json(
                400,
                json!({"error": "IdempotentRequestError", "description": "Request parameters do not match the original request for this Idempotency-Key"}),
            ));
        }
        let mut r =
            Reply::json(prev.status, prev.body.clone()).header("x-idempotency-lookup", "hit");
        if let Some(l) = &prev.location {
            r = r.header("location", l.clone());
        }
        return Ok(r);
    }
    let (body, location, unknown) = create_one(t, cx, obj)?;
    if let Some(k) = key {
        t.idempotency.insert(
            k,
            crate::tenants::IdempotentEntry {
                request,
                status: 201,
                body: body.clone(),
                location: Some(location.clone()),
            },
        );
    }
    let mut r = Reply::json(201, body).header("location", location);
    if cx.header("idempotency-key").is_some() {
        r = r.header("x-idempotency-lookup", "miss");
    }
    if !unknown.is_empty() {
        let keys: Vec<String> = unknown.iter().map(|k| format!("\"ticket.{k}\"")).collect();
        r = r.header(
            "x-zendesk-api-warn",
            format!(
                "{{:allowed_parameters=>{{:controller=>\"tickets\", :action=>\"create\", :unpermitted_keys=>[{}], :invalid_values=>[]}}}}",
                keys.join(", ")
            ),
        );
    }
    Ok(r)
}

pub fn create_many(t: &mut Tenant, cx: &Ctx) -> Res {
    cx.agent("tickets", true)?;
    let items = cx
        .body
        .as_ref()
        .and_then(|b| b.get("tickets"))
        .and_then(Value::as_array)
        .ok_or_else(|| crate::api::reply::param_missing("tickets"))?;
    if items.len() > 100 {
        return Err(too_many_values());
    }
    let mut results = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_object().map(|o| create_one(t, cx, o)) {
            Some(Ok((body, _, _))) => results.push(json!({"index": i, "id": body["ticket"]["id"], "status": "Created", "success": true})),
            _ => results.push(json!({"index": i, "error": "RecordInvalid", "success": false})),
        }
    }
    let jid = format!("{:x}", t.alloc_id());
    Ok(Reply::ok(json!({"job_status": {
        "id": jid, "url": format!("{}/api/v2/job_statuses/{jid}.json", t.origin()),
        "total": items.len(), "progress": items.len(), "status": "completed",
        "message": format!("Completed at {}", ts(cx.now)), "results": results,
    }})))
}

/// 409 for a stale `safe_update`.
pub fn check_safe_update(obj: &Map<String, Value>, x: &Ticket) -> Result<(), Reply> {
    if obj.get("safe_update").and_then(Value::as_bool) == Some(true) {
        let stamp = obj
            .get("updated_stamp")
            .and_then(Value::as_str)
            .unwrap_or("");
        let fresh = chrono::DateTime::parse_from_rfc3339(stamp)
            .is_ok_and(|s| s.timestamp() == x.updated_at.timestamp());
        if !fresh {
            return Err(Reply::json(
                409,
                json!({"error": "UpdateConflict", "description": "Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again."}),
            ));
        }
    }
    Ok(())
}

pub fn update(t: &mut Tenant, cx: &Ctx, id: u64) -> Res {
    let p = cx.scoped("tickets", true)?.clone();
    let obj = cx.body_obj("ticket")?;
    let x = t.tickets.get(&id).ok_or_else(not_found)?;
    if !p.is_agent() && x.requester_id != p.user_id {
        return Err(forbidden());
    }
    check_safe_update(obj, x)?;
    if x.status == "closed" {
        return Err(record_invalid(
            "status",
            "Status: closed prevents ticket update",
            None,
        ));
    }
    let agent_only = obj.keys().any(|k| k != "comment" && k != "id");
    if !p.is_agent() && agent_only {
        return Err(forbidden());
    }
    let priority = write::priority(obj)?;
    let kind = write::ticket_type(obj)?;
    let status = write::status(obj)?.flatten();
    let assignee = write::assignee(t, obj)?;
    let group_id = write::id_field(obj, "group_id", |i| t.groups.contains_key(&i), "Group")?;
    let org_id = write::id_field(
        obj,
        "organization_id",
        |i| t.organizations.contains_key(&i),
        "Organization",
    )?;
    let requester_id = write::id_field(
        obj,
        "requester_id",
        |i| t.users.contains_key(&i),
        "Requester",
    )?
    .flatten();
    let comment = obj
        .get("comment")
        .filter(|c| c.is_object() || c.is_string());
    let comment_body = comment
        .and_then(|c| {
            c.get("body")
                .or_else(|| c.get("html_body"))
                .and_then(Value::as_str)
                .or_else(|| c.as_str())
        })
        .map(str::to_string);
    let mut events = Vec::new();
    let audit_id = t.alloc_id();
    let mut ids: Vec<u64> = (0..16).map(|_| t.alloc_id()).collect();
    let mut next = move || ids.pop().unwrap_or(0);
    let origin_public;
    {
        let x = t.tickets.get_mut(&id).ok_or_else(not_found)?;
        origin_public = x.is_public;
        macro_rules! change {
            ($field:literal, $old:expr, $new:expr) => {
                events.push(change_event(next(), "Change", $field, $new, Some($old)));
            };
        }
        if let Some(s) = obj.get("subject").and_then(Value::as_str) {
            change!("subject", json!(x.subject), json!(s));
            x.subject = s.to_string();
        }
        if let Some(v) = priority {
            change!("priority", json!(x.priority), json!(v));
            x.priority = v;
        }
        if let Some(v) = kind {
            change!("type", json!(x.kind), json!(v));
            x.kind = v;
        }
        if let Some(v) = assignee {
            change!("assignee_id", audit_value(x.assignee_id), audit_value(v));
            x.assignee_id = v;
        }
        if let Some(v) = status {
            change!("status", json!(x.status), json!(v));
            change!(
                "custom_status_id",
                json!(render::custom_status_id(&x.status)),
                json!(render::custom_status_id(&v))
            );
            if (v == "solved" || v == "closed") && x.solved_at.is_none() {
                x.solved_at = Some(cx.now);
            }
            x.status = v;
        } else if x.status == "new" && x.assignee_id.is_some() {
            x.status = "open".into();
        }
        if let Some(v) = group_id {
            change!("group_id", audit_value(x.group_id), audit_value(v));
            x.group_id = v;
        }
        if let Some(v) = org_id {
            x.organization_id = v;
        }
        if let Some(v) = requester_id {
            change!(
                "requester_id",
                audit_value(Some(x.requester_id)),
                audit_value(Some(v))
            );
            x.requester_id = v;
        }
        if let Some(tags) = obj.get("tags") {
            let new = write::normalize_tags(tags);
            change!("tags", json!(x.tags.join(" ")), json!(new.join(" ")));
            x.tags = new;
        }
        if let Some(add) = obj.get("additional_tags") {
            for g in write::normalize_tags(add) {
                if !x.tags.contains(&g) {
                    x.tags.push(g);
                }
            }
        }
        if let Some(rm) = obj.get("remove_tags") {
            let rm = write::normalize_tags(rm);
            x.tags.retain(|g| !rm.contains(g));
        }
        if let Some(cf) = obj.get("custom_fields").and_then(Value::as_array) {
            for f in cf {
                let fid = f.get("id").cloned();
                x.custom_fields.retain(|e| e.get("id") != fid.as_ref());
                x.custom_fields.push(f.clone());
            }
        }
        if let Some(e) = obj.get("external_id") {
            x.external_id = e.as_str().map(str::to_string);
        }
        if let Some(d) = obj.get("due_at") {
            x.due_at = d
                .as_str()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .map(|d| d.to_utc());
        }
        x.updated_at = cx.now;
    }
    if let Some(body) = comment_body.filter(|b| !b.trim().is_empty()) {
        let public = comment
            .and_then(|c| c.get("public"))
            .and_then(Value::as_bool)
            .unwrap_or(origin_public);
        if !p.is_agent() && !public {
            return Err(forbidden());
        }
        let author = comment
            .and_then(|c| c.get("author_id"))
            .and_then(Value::as_u64)
            .filter(|a| t.users.contains_key(a))
            .unwrap_or(p.user_id);
        let cid = t.alloc_id();
        let c = Comment {
            id: cid,
            audit_id,
            author_id: author,
            body,
            public,
            channel: "api".into(),
            created_at: cx.now,
        };
        events.insert(0, comment_event(&c));
        if let Some(x) = t.tickets.get_mut(&id) {
            x.comments.push(c);
        }
    }
    let x = t.tickets.get(&id).ok_or_else(not_found)?;
    let rendered = render::ticket(t, x);
    let audit = audit(t, cx, id, audit_id, p.user_id, events);
    Ok(Reply::ok(json!({"ticket": rendered, "audit": audit})))
}
