//! Shared write helpers: field validation, tag normalisation, user lookup/creation for
//! `requester` / `assignee_email`, audits.

use serde_json::{Map, Value, json};

use crate::api::reply::{Reply, record_invalid};
use crate::tenants::{PRIORITIES, STATUSES, TICKET_TYPES, Tenant, User};

/// Zendesk tags: lowercase, spaces split into separate tags, deduplicated, order kept.
pub fn normalize_tags(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let items: Vec<String> = match v {
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    };
    for item in items {
        for tag in item.split([' ', ',']) {
            let tag = tag.trim().to_lowercase();
            if !tag.is_empty() && !out.contains(&tag) {
                out.push(tag);
            }
        }
    }
    out
}

/// A string enum field (`priority`, `status`, `type`), `null` allowed where `nullable`.
pub fn enum_field(
    obj: &Map<String, Value>,
    key: &str,
    allowed: &[&str],
    nullable: bool,
) -> Result<Option<Option<String>>, Reply> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Null) if nullable => Ok(Some(None)),
        Some(Value::String(s)) if s.is_empty() && nullable => Ok(Some(None)),
        Some(Value::String(s)) if allowed.contains(&s.to_lowercase().as_str()) => {
            Ok(Some(Some(s.to_lowercase())))
        }
        Some(other) => {
            let label = {
                let mut c = key.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            };
            Err(record_invalid(
                key,
                &format!(
                    "{label}: {} is not valid",
                    other.as_str().unwrap_or(&other.to_string())
                ),
                Some("InvalidValue"),
            ))
        }
    }
}

pub fn priority(obj: &Map<String, Value>) -> Result<Option<Option<String>>, Reply> {
    enum_field(obj, "priority", &PRIORITIES, true)
}

pub fn status(obj: &Map<String, Value>) -> Result<Option<Option<String>>, Reply> {
    enum_field(obj, "status", &STATUSES, false)
}

pub fn ticket_type(obj: &Map<String, Value>) -> Result<Option<Option<String>>, Reply> {
    enum_field(obj, "type", &TICKET_TYPES, true)
}

/// An id field: `Some(None)` for explicit null, validated by `exists`.
pub fn id_field(
    obj: &Map<String, Value>,
    key: &str,
    exists: impl Fn(u64) -> bool,
    what: &str,
) -> Result<Option<Option<u64>>, Reply> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(v) => {
            let id = v
                .as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()));
            match id {
                Some(id) if exists(id) => Ok(Some(Some(id))),
                _ => Err(record_invalid(
                    key,
                    &format!("{what}: is invalid"),
                    Some("InvalidValue"),
                )),
            }
        }
    }
}

/// Resolve `assignee_id` / `assignee_email` to an agent.
pub fn assignee(t: &Tenant, obj: &Map<String, Value>) -> Result<Option<Option<u64>>, Reply> {
    if let Some(email) = obj.get("assignee_email").and_then(Value::as_str) {
        return match t.user_by_email(email) {
            Some(u) if u.is_agent() => Ok(Some(Some(u.id))),
            _ => Err(record_invalid(
                "assignee",
                &format!("Assignee: {email} is not an agent in this account"),
                Some("InvalidValue"),
            )),
        };
    }
    id_field(
        obj,
        "assignee_id",
        |id| t.users.get(&id).is_some_and(User::is_agent),
        "Assignee",
    )
}

/// Find or create an end-user from `requester: {name, email}`.
pub fn requester(
    t: &mut Tenant,
    v: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, Reply> {
    let email = v
        .get("email")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("");
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("");
    if !email.is_empty() {
        if let Some(u) = t.user_by_email(email) {
            return Ok(u.id);
        }
        if !valid_email(email) {
            return Err(record_invalid(
                "requester",
                &format!("Requester: Email: {email} is not properly formatted"),
                Some("InvalidFormat"),
            ));
        }
    } else if name.is_empty() {
        return Err(record_invalid(
            "requester",
            "Requester: Name: is too short (minimum one character)",
            Some("BlankValue"),
        ));
    }
    let name = if name.is_empty() {
        email.split('@').next().unwrap_or(email)
    } else {
        name
    };
    let id = t.alloc_id();
    t.users.insert(
        id,
        User {
            id,
            name: name.to_string(),
            email: (!email.is_empty()).then(|| email.to_lowercase()),
            role: "end-user".into(),
            organization_id: None,
            group_ids: Vec::new(),
            default_group_id: None,
            phone: None,
            verified: false,
            active: true,
            tags: Vec::new(),
            photo: false,
            created_at: now,
            updated_at: now,
        },
    );
    Ok(id)
}

pub fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(' ')
}

/// Audit event for a created/changed field.
pub fn change_event(
    id: u64,
    kind: &str,
    field: &str,
    value: Value,
    previous: Option<Value>,
) -> Value {
    let mut e = json!({"id": id, "type": kind, "value": value, "field_name": field});
    if let Some(p) = previous {
        e["previous_value"] = p;
    }
    e
}

/// Value as audit string (ids are strings in audits).
pub fn audit_value<T: ToString>(v: Option<T>) -> Value {
    v.map(|x| Value::String(x.to_string()))
        .unwrap_or(Value::Null)
}
