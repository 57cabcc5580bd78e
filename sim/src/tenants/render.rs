//! JSON renderings of records in Zendesk's exact field layout (see shared/zendesk/curated).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Comment, Group, Organization, Tenant, Ticket, User, View, ViewAccess};

/// Zendesk's timestamp format, `2023-09-18T23:25:58Z`.
pub fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn ts_opt(t: Option<DateTime<Utc>>) -> Value {
    t.map(|t| Value::String(ts(t))).unwrap_or(Value::Null)
}

const FORM_ID: u64 = 6130830344474;
const BRAND_ID: u64 = 6130830354842;

/// `custom_status_id` per status category (stable fake ids).
pub fn custom_status_id(status: &str) -> u64 {
    6130830355738 + super::status_rank(status).unwrap_or(0) as u64
}

fn via(t: &Tenant, x: &Ticket) -> Value {
    if x.channel == "email" {
        let req = t.users.get(&x.requester_id);
        return json!({"channel": "email", "source": {
            "from": {"address": req.and_then(|u| u.email.clone()), "name": req.map(|u| u.name.clone())},
            "to": {"name": format!("{} Support", t.subdomain), "address": support_address(t)},
            "rel": null,
        }});
    }
    json!({"channel": x.channel, "source": {"from": {}, "to": {}, "rel": null}})
}

/// The account's support address, `support@{sub}.zendesk.com`.
pub fn support_address(t: &Tenant) -> String {
    format!("support@{}.zendesk.com", t.subdomain)
}

pub fn ticket(t: &Tenant, x: &Ticket) -> Value {
    let o = t.origin();
    json!({
        "url": format!("{o}/api/v2/tickets/{}.json", x.id),
        "id": x.id,
        "external_id": x.external_id,
        "via": via(t, x),
        "created_at": ts(x.created_at),
        "updated_at": ts(x.updated_at),
        "generated_timestamp": x.updated_at.timestamp(),
        "type": x.kind,
        "subject": x.subject,
        "raw_subject": x.subject,
        "description": x.description,
        "priority": x.priority,
        "status": x.status,
        "recipient": if x.channel == "email" { Value::String(support_address(t)) } else { Value::Null },
        "requester_id": x.requester_id,
        "submitter_id": x.submitter_id,
        "assignee_id": x.assignee_id,
        "organization_id": x.organization_id,
        "group_id": x.group_id,
        "collaborator_ids": [],
        "follower_ids": [],
        "email_cc_ids": [],
        "forum_topic_id": null,
        "problem_id": null,
        "has_incidents": false,
        "is_public": x.is_public,
        "due_at": ts_opt(x.due_at),
        "tags": x.tags,
        "custom_fields": x.custom_fields,
        "satisfaction_rating": null,
        "satisfaction_probability": null,
        "sharing_agreement_ids": [],
        "custom_status_id": custom_status_id(&x.status),
        "fields": x.custom_fields,
        "followup_ids": [],
        "ticket_form_id": FORM_ID,
        "brand_id": BRAND_ID,
        "dates": {
            "assignee_updated_at": null,
            "requester_updated_at": ts(x.created_at),
            "status_updated_at": ts(x.updated_at),
            "initially_assigned_at": x.assignee_id.map(|_| ts(x.created_at)),
            "assigned_at": x.assignee_id.map(|_| ts(x.created_at)),
            "solved_at": ts_opt(x.solved_at),
            "latest_comment_added_at": ts(x.comments.last().map(|c| c.created_at).unwrap_or(x.created_at)),
        },
        "allow_channelback": false,
        "allow_attachments": true,
        "from_messaging_channel": false,
    })
}

pub fn comment(t: &Tenant, c: &Comment) -> Value {
    let author = t.users.get(&c.author_id);
    json!({
        "id": c.id,
        "type": "Comment",
        "author_id": c.author_id,
        "body": c.body,
        "html_body": html_body(&c.body),
        "plain_body": c.body,
        "public": c.public,
        "attachments": [],
        "audit_id": c.audit_id,
        "via": {"channel": c.channel, "source": {"from": {}, "to": {
            "name": author.map(|u| u.name.clone()),
            "address": author.and_then(|u| u.email.clone()),
        }, "rel": null}},
        "created_at": ts(c.created_at),
        "metadata": {"system": {"client": "toolwire-sim", "ip_address": "127.0.0.1",
            "location": "Localhost", "latitude": 0.0, "longitude": 0.0}, "custom": {},
            "via": {"channel": c.channel, "source": {"from": {}, "to": {}, "rel": null}}},
    })
}

fn html_body(body: &str) -> String {
    let esc = body
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let paras: Vec<String> = esc
        .split("\n\n")
        .map(|p| format!("<p dir=\"auto\">{}</p>", p.replace('\n', "<br>")))
        .collect();
    format!(
        "<div class=\"zd-comment\" dir=\"auto\">{}</div>",
        paras.join("")
    )
}

fn photo(t: &Tenant, u: &User) -> Value {
    if !u.photo {
        return Value::Null;
    }
    let o = t.origin();
    let pid = u.id + 7;
    let thumb = |id: u64, name: &str, size: u64, w: u64| {
        json!({
            "url": format!("{o}/api/v2/attachments/{id}.json"),
            "id": id,
            "file_name": name,
            "content_url": format!("{o}/system/photos/{pid}/{name}"),
            "mapped_content_url": format!("{o}/system/photos/{pid}/{name}"),
            "content_type": "image/png",
            "size": size,
            "width": w,
            "height": w,
            "inline": false,
            "deleted": false,
        })
    };
    let mut p = thumb(pid, &format!("profile_image_{}.png", u.id), 10157, 80);
    p["thumbnails"] = json!([thumb(
        pid + 1,
        &format!("profile_image_{}_thumb.png", u.id),
        2330,
        32
    )]);
    p
}

pub fn user(t: &Tenant, u: &User) -> Value {
    let agent = u.is_agent();
    json!({
        "id": u.id,
        "url": format!("{}/api/v2/users/{}.json", t.origin(), u.id),
        "name": u.name,
        "email": u.email,
        "created_at": ts(u.created_at),
        "updated_at": ts(u.updated_at),
        "time_zone": "America/New_York",
        "iana_time_zone": "America/New_York",
        "phone": u.phone,
        "shared_phone_number": null,
        "photo": photo(t, u),
        "locale_id": 1,
        "locale": "en-US",
        "organization_id": u.organization_id,
        "role": u.role,
        "verified": u.verified,
        "external_id": null,
        "tags": u.tags,
        "alias": null,
        "active": u.active,
        "shared": false,
        "shared_agent": false,
        "chat_only": false,
        "last_login_at": if agent { Value::String(ts(u.updated_at)) } else { Value::Null },
        "two_factor_auth_enabled": false,
        "signature": null,
        "details": null,
        "notes": null,
        "role_type": if u.role == "admin" { json!(4) } else { Value::Null },
        "custom_role_id": if agent { json!(6130869137434u64 + u64::from(u.role == "admin")) } else { Value::Null },
        "moderator": agent,
        "ticket_restriction": if agent { Value::Null } else { json!("requested") },
        "only_private_comments": false,
        "restricted_agent": !agent,
        "suspended": false,
        "default_group_id": u.default_group_id,
        "report_csv": false,
        "user_fields": {},
    })
}

/// `/users/me` for a caller that did not authenticate.
pub fn anonymous_user() -> Value {
    json!({
        "id": null,
        "url": null,
        "name": "Anonymous user",
        "email": "invalid@example.com",
        "created_at": null,
        "updated_at": null,
        "time_zone": "America/New_York",
        "iana_time_zone": "America/New_York",
        "phone": null,
        "shared_phone_number": null,
        "photo": null,
        "locale_id": 1,
        "locale": "en-US",
        "organization_id": null,
        "role": "end-user",
        "verified": false,
        "authenticity_token": "sim-anonymous",
        "external_id": null,
        "tags": [],
        "alias": null,
        "active": true,
        "shared": false,
        "shared_agent": false,
        "last_login_at": null,
        "two_factor_auth_enabled": null,
        "signature": null,
        "details": null,
        "notes": null,
        "role_type": null,
        "custom_role_id": null,
        "moderator": false,
        "ticket_restriction": "requested",
        "only_private_comments": false,
        "restricted_agent": true,
        "suspended": false,
        "default_group_id": null,
        "report_csv": false,
        "user_fields": {},
    })
}

pub fn organization(t: &Tenant, o: &Organization) -> Value {
    json!({
        "url": format!("{}/api/v2/organizations/{}.json", t.origin(), o.id),
        "id": o.id,
        "name": o.name,
        "shared_tickets": false,
        "shared_comments": false,
        "external_id": o.external_id,
        "created_at": ts(o.created_at),
        "updated_at": ts(o.updated_at),
        "domain_names": o.domain_names,
        "details": o.details,
        "notes": o.notes,
        "group_id": o.group_id,
        "tags": o.tags,
        "organization_fields": {},
    })
}

pub fn group(t: &Tenant, g: &Group) -> Value {
    json!({
        "url": format!("{}/api/v2/groups/{}.json", t.origin(), g.id),
        "id": g.id,
        "is_public": g.is_public,
        "name": g.name,
        "description": g.description,
        "default": g.default,
        "deleted": false,
        "created_at": ts(g.created_at),
        "updated_at": ts(g.updated_at),
    })
}

fn column(id: &str, title: &str, filterable: bool, sortable: bool) -> Value {
    json!({"id": id, "title": title, "filterable": filterable, "sortable": sortable})
}

pub fn view(t: &Tenant, v: &View) -> Value {
    let columns = json!([
        column("subject", "Subject", false, false),
        column("requester", "Requester", true, true),
        column("created", "Requested", false, true),
        column("type", "Type", true, true),
        column("priority", "Priority", true, true),
    ]);
    let restriction = match v.access {
        ViewAccess::Account => Value::Null,
        ViewAccess::Personal(id) => json!({"type": "User", "id": id}),
        ViewAccess::Shared(id) => json!({"type": "Group", "id": id, "ids": [id]}),
    };
    json!({
        "url": format!("{}/api/v2/views/{}.json", t.origin(), v.id),
        "id": v.id,
        "title": v.title,
        "active": v.active,
        "updated_at": ts(v.updated_at),
        "created_at": ts(v.created_at),
        "default": false,
        "position": v.position,
        "description": null,
        "execution": {
            "group_by": "status",
            "group_order": "asc",
            "sort_by": "nice_id",
            "sort_order": "desc",
            "group": {"id": "status", "title": "Status category", "filterable": true, "sortable": true, "order": "asc"},
            "sort": {"id": "ticket_id", "title": "ID", "filterable": true, "sortable": true, "order": "desc"},
            "columns": columns,
            "fields": columns,
            "custom_fields": [],
        },
        "conditions": v.conditions,
        "restriction": restriction,
        "watchable": true,
        "raw_title": v.title,
    })
}
