//! The data the docs template renders: every cell pre-formatted as Markdown (escaped for
//! tables), so the template stays a plain layout.

use serde_json::{Value, json};
use toolwire_spec::{
    AuthScheme, BodyMatch, ClientAuth, ConnectorSpec, ErrorRule, Pagination, Quirk, StatusMatch,
    TokenResponseMap, ToolSpec,
};

use crate::schemas::notes;

/// The template context for `spec`: tools and models as callers see them (projected outputs,
/// their named models listed with the others).
pub(super) fn build(spec: &ConnectorSpec) -> Value {
    let projected = spec.projected();
    json!({
        "connector": spec.connector,
        "title": spec.title,
        "description": spec.description.trim(),
        "base_url": spec.base_url,
        "tool_count": spec.tools.len(),
        "config": spec.config.iter().map(|(name, var)| json!({
            "name": name,
            "title": cell(&var.title),
            "description": cell(&var.description),
            "pattern": var.pattern.replace('|', "\\|"),
            "example": var.example.as_deref().map(|e| format!("`{e}`")).unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "auth": spec.auth.iter().map(|(name, scheme)| auth(name, scheme)).collect::<Vec<_>>(),
        "errors": spec.errors.iter().map(error).collect::<Vec<_>>(),
        "tools": projected.tools.iter().zip(&spec.tools)
            .map(|(t, declared)| tool(t, declared.response.project.is_some()))
            .collect::<Vec<_>>(),
        "models": projected.models.iter().map(|(name, schema)| json!({
            "name": name,
            "description": description(schema),
            "fields": rows(schema, ""),
        })).collect::<Vec<_>>(),
    })
}

fn auth(name: &str, scheme: &AuthScheme) -> Value {
    let (kind, details) = match scheme {
        AuthScheme::Basic { .. } => ("HTTP Basic".to_string(), vec![]),
        AuthScheme::Bearer { .. } => ("bearer token".to_string(), vec![]),
        AuthScheme::ApiKey { location, name, .. } => {
            let place = serde_json::to_value(location)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            (format!("API key in {place} `{name}`"), vec![])
        }
        AuthScheme::Oauth2AuthorizationCode {
            scopes,
            scope_params,
            pkce,
            refresh,
            client_auth,
            token_response,
            ..
        } => {
            let mut details = vec![format!("Scopes requested: {}.", code_list(scopes))];
            for (param, extra) in scope_params {
                details.push(format!(
                    "Also requested, under the `{param}` parameter: {}.",
                    code_list(extra)
                ));
            }
            if let Some(p) = pkce {
                details.push(format!("PKCE: `{p:?}`."));
            }
            if *client_auth == ClientAuth::Basic {
                details.push(
                    "The client id and secret go to the token endpoint as HTTP Basic.".to_string(),
                );
            }
            details.push(format!("Refresh tokens: {}.", snake(refresh)));
            if let Some(map) = token_response {
                details.extend(token_answer(map));
            }
            ("OAuth 2.0 authorization code".to_string(), details)
        }
        AuthScheme::Oauth2ClientCredentials { scopes, .. } => {
            let details = if scopes.is_empty() {
                vec![]
            } else {
                vec![format!("Scopes requested: {}.", code_list(scopes))]
            };
            ("OAuth 2.0 client credentials".to_string(), details)
        }
    };
    let inactivity = match scheme {
        AuthScheme::Basic {
            inactivity_days, ..
        } => *inactivity_days,
        _ => None,
    };
    let fields = match scheme {
        AuthScheme::Oauth2AuthorizationCode { client_fields, .. } => Some(client_fields),
        other => other.fields(),
    };
    json!({
        "name": name,
        "title": cell(scheme.title()),
        "kind": kind,
        "sunset": scheme.sunset(),
        "inactivity_days": inactivity,
        "details": details,
        "fields": fields.into_iter().flatten().map(|(name, f)| json!({
            "name": name,
            "title": cell(&f.title),
            "secret": yes_no(f.secret),
            "description": cell(&f.description),
        })).collect::<Vec<_>>(),
    })
}

/// Where a declared token answer puts what it keeps (only the non-standard entries).
fn token_answer(map: &TokenResponseMap) -> Vec<String> {
    let pairs = |entries: &mut dyn Iterator<Item = (&String, &String)>| {
        entries
            .map(|(name, pointer)| format!("`{name}` ← `{pointer}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = Vec::new();
    let mut credentials = map
        .credentials
        .iter()
        .filter(|(name, pointer)| pointer.as_str() != format!("/{name}"));
    let stored = pairs(&mut credentials);
    if !stored.is_empty() {
        lines.push(format!(
            "From the token answer, stored as credentials: {stored}."
        ));
    }
    let config = pairs(&mut map.config.iter());
    if !config.is_empty() {
        lines.push(format!(
            "From the token answer, saved as account configuration (checked like any config value): {config}."
        ));
    }
    lines
}

fn error(rule: &ErrorRule) -> Value {
    let status = match &rule.status {
        StatusMatch::Exact(s) => s.to_string(),
        StatusMatch::Class(c) => c.clone(),
    };
    json!({
        "status": status,
        "when": when(rule),
        "code": rule.code.as_str(),
        "retry": snake(&rule.retry),
        "account": snake(&rule.account),
        "message": cell(&rule.message),
    })
}

fn body_match(m: &BodyMatch) -> String {
    let test = if let Some(v) = &m.equals {
        format!("equals `{v}`")
    } else if let Some(s) = &m.contains {
        format!("contains \"{s}\"")
    } else if let Some(vs) = &m.one_of {
        format!(
            "is one of {}",
            vs.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else if let Some(want) = m.not_null {
        if want {
            "is not null".into()
        } else {
            "is null or missing".into()
        }
    } else {
        String::new()
    };
    cell(&format!("`{}` {test}", m.pointer))
}

fn tool(tool: &ToolSpec, projected: bool) -> Value {
    let a = tool.annotations;
    let idempotency = tool.request.idempotency.as_ref().map(|i| match &i.input {
        Some(input) => format!(
            "header `{}`, key from input `{input}` (otherwise one key per execution)",
            i.header
        ),
        None => format!("header `{}`, one key per execution", i.header),
    });
    let quirks: Vec<String> = tool
        .quirks
        .iter()
        .map(|q| match q {
            Quirk::CollectionDelta { add_input, remove_input, add, remove, .. } => format!(
                "`{add_input}` and `{remove_input}` change only those members, via `{} {}` and `{} {}` with a concurrency token",
                add.method.as_str(),
                add.path,
                remove.method.as_str(),
                remove.path
            ),
        })
        .collect();
    let credential = tool.credential.as_ref().map(|c| match &c.scope {
        Some(scope) => format!(
            "sends the stored `{}` token (its scopes in `{scope}`); an account without it must reconnect",
            c.token
        ),
        None => format!(
            "sends the stored `{}` token; an account without it must reconnect",
            c.token
        ),
    });
    let body_encoding = (!tool.request.body_encoding.is_json())
        .then(|| "form-encoded (`application/x-www-form-urlencoded`)".to_string());
    let (output, output_fields) = output(tool, projected);
    json!({
        "name": tool.name,
        "title": cell(&tool.title),
        "description": tool.description.trim(),
        "method": tool.request.method.as_str(),
        // A GraphQL tool's URL is shared: the operation says what it does.
        "path": match &tool.request.graphql {
            Some(g) => format!(
                "{} (GraphQL {})",
                tool.request.path,
                g.operation_name.as_deref().unwrap_or("operation")
            ),
            None => tool.request.path.clone(),
        },
        "read_only": yes_no(a.read_only),
        "destructive": yes_no(a.destructive),
        "idempotent": yes_no(a.idempotent),
        "open_world": yes_no(a.open_world),
        "scopes": if tool.scopes.is_empty() { Value::Null } else { Value::String(code_list(&tool.scopes)) },
        "pagination": pagination(&tool.pagination),
        "idempotency": idempotency,
        "credential": credential,
        "body_encoding": body_encoding,
        "quirks": quirks,
        "inputs": rows(&tool.input, ""),
        "output": output,
        "output_fields": output_fields,
    })
}

/// The tool's output (`tool` from the projected spec: a projected tool's output is its
/// projection, said so, since REST `"full": true` returns the whole selected response).
fn output(tool: &ToolSpec, projected: bool) -> (String, Vec<Value>) {
    let (label, fields) = declared_output(tool);
    if projected {
        let note =
            "Projected for a model (REST `\"full\": true` returns the whole selected response).";
        (format!("{note} {label}"), fields)
    } else {
        (label, fields)
    }
}

fn declared_output(tool: &ToolSpec) -> (String, Vec<Value>) {
    let Some(schema) = &tool.response.output else {
        return (
            "The response body as JSON (no output schema).".into(),
            vec![],
        );
    };
    if schema.get("$ref").is_some() {
        return (
            format!("{} (see [Models](#models)).", type_label(schema)),
            vec![],
        );
    }
    let fields = rows(schema, "");
    if fields.is_empty() {
        (format!("{}.", type_label(schema)), vec![])
    } else {
        ("An object:".into(), fields)
    }
}

/// A rule's conditions: body, response header and missing scopes, joined with "and".
fn when(rule: &toolwire_spec::ErrorRule) -> String {
    let mut parts: Vec<String> = rule.when.as_ref().map(body_match).into_iter().collect();
    if let Some(h) = &rule.when_header {
        parts.push(match (&h.equals, h.present) {
            (Some(v), _) => format!("header `{}` is `{v}`", h.header),
            (None, Some(false)) => format!("header `{}` is absent", h.header),
            _ => format!("header `{}` is present", h.header),
        });
    }
    if let Some(s) = &rule.missing_scopes {
        parts.push(format!(
            "header `{}` names no scope of `{}`",
            s.granted, s.accepted
        ));
    }
    parts.join(" and ")
}

fn pagination(p: &Pagination) -> String {
    match p {
        Pagination::None => "none (one page)".into(),
        Pagination::Relay {
            cursor_input,
            page_info,
        } => format!(
            "Relay connection: pass the returned cursor (`{page_info}/endCursor`) back as input `{cursor_input}`, more while `hasNextPage` is true"
        ),
        Pagination::LinkHeader { cursor_input } => format!(
            "next-page URL from the `Link` header: pass the returned cursor back as input `{cursor_input}`"
        ),
        Pagination::NextUrl {
            cursor_input,
            next_url,
            done,
        } => {
            let done = done
                .as_ref()
                .map(|d| format!(", last page when `{d}` is true"))
                .unwrap_or_default();
            format!(
                "next-page URL at `{next_url}` in the body{done}: pass the returned cursor back as input `{cursor_input}`"
            )
        }
        Pagination::Offset {
            page_input,
            next,
            count,
        } => {
            let count = count
                .as_ref()
                .map(|c| format!(", total at `{c}`"))
                .unwrap_or_default();
            format!(
                "page numbers in input `{page_input}`; a next page exists while `{next}` is set{count}"
            )
        }
        Pagination::Cursor {
            cursor_input,
            next_cursor,
            has_more,
        } => {
            let more = has_more
                .as_ref()
                .map(|h| format!(", more while `{h}` is true"))
                .unwrap_or_default();
            format!(
                "cursor: pass the returned cursor (`{next_cursor}`) back as input `{cursor_input}`{more}"
            )
        }
    }
}

/// One table row per property, nested objects flattened (`requester.email`,
/// `custom_fields[].id`).
fn rows(schema: &Value, prefix: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return out;
    };
    for (name, prop) in props {
        let path = format!("{prefix}{name}");
        out.push(json!({
            "name": path,
            "type": cell(&type_label(prop)),
            "required": yes_no(required.contains(&name.as_str())),
            "description": cell(&property_description(prop)),
        }));
        if prop.get("properties").is_some() {
            out.extend(rows(prop, &format!("{path}.")));
        } else if let Some(items) = prop.get("items").filter(|i| i.get("properties").is_some()) {
            out.extend(rows(items, &format!("{path}[].")));
        }
    }
    out
}

fn property_description(schema: &Value) -> String {
    let mut text = description(schema);
    let values = schema
        .get("enum")
        .or_else(|| schema.get("items").and_then(|i| i.get("enum")));
    if let Some(Value::Array(values)) = values {
        let list: Vec<String> = values.iter().map(|v| format!("`{}`", render(v))).collect();
        text = sentence(text, &format!("One of: {}.", list.join(", ")));
    }
    if let Some(d) = notes::default_note(schema) {
        text = sentence(text, &format!("Default: `{d}`."));
    }
    let constraints = notes::keyword_notes(schema);
    if !constraints.is_empty() {
        text = sentence(text, &format!("Constraints: {}.", constraints.join(", ")));
    }
    text
}

fn type_label(schema: &Value) -> String {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return format!("`{}`", target.rsplit('/').next().unwrap_or(target));
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let labels: Vec<String> = types
        .iter()
        .map(|t| match (*t, schema.get("items")) {
            ("array", Some(items)) => format!("array of {}", type_label(items)),
            (t, _) => t.to_string(),
        })
        .collect();
    if labels.is_empty() {
        "any".into()
    } else {
        labels.join(" or ")
    }
}

fn description(schema: &Value) -> String {
    schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn sentence(text: String, more: &str) -> String {
    if text.is_empty() {
        more.to_string()
    } else {
        format!("{text} {more}")
    }
}

fn render(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn code_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn snake<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Text safe inside a Markdown table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
