//! Offset (`page`, `per_page`) and cursor (`page[size]`, `page[after]`, `page[before]`)
//! pagination, with Zendesk's limits and response envelopes.

use base64::Engine;
use serde_json::{Value, json};

use super::query::Query;
use super::reply::{Reply, invalid_pagination, pagination_depth};

/// Which style the request asked for.
#[derive(Debug, Clone)]
pub enum PageMode {
    Offset {
        page: u64,
        per_page: u64,
    },
    Cursor {
        size: usize,
        after: Option<u64>,
        before: Option<u64>,
    },
}

impl PageMode {
    pub fn is_cursor(&self) -> bool {
        matches!(self, PageMode::Cursor { .. })
    }
}

/// Where the list lives: used to build `next_page` / `links` URLs.
pub struct ListUrl<'a> {
    pub origin: &'a str,
    pub path: &'a str,
    pub query: &'a Query,
}

fn parse_num(q: &Query, k: &str, default: u64) -> Result<u64, Reply> {
    match q.get(k) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<u64>()
            .map_err(|_| invalid_pagination(&format!("{k} must be a positive integer"))),
    }
}

/// Decode a cursor into the boundary record id.
pub fn decode_cursor(c: &str) -> Option<u64> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(c.trim())
        .ok()?;
    let v: Value = serde_json::from_slice(&raw).ok()?;
    v.get("v")?.as_str()?.parse().ok()
}

/// Encode a record id as an opaque cursor (`{"o":"id","v":"<id>"}`, base64 like Zendesk's).
pub fn encode_cursor(order: &str, id: u64) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(format!("{{\"o\":\"{order}\",\"v\":\"{id}\"}}"))
}

/// Read the pagination mode. `cursor_ok` / `offset_ok` say what the endpoint supports.
pub fn mode(q: &Query, cursor_ok: bool) -> Result<PageMode, Reply> {
    let cursor = q.has("page[size]") || q.has("page[after]") || q.has("page[before]");
    if cursor && cursor_ok {
        let size = parse_num(q, "page[size]", 100)?.clamp(1, 100) as usize;
        let cur = |k: &str| -> Result<Option<u64>, Reply> {
            match q.get(k) {
                None | Some("") => Ok(None),
                Some(c) => decode_cursor(c)
                    .map(Some)
                    .ok_or_else(|| invalid_pagination(&format!("{k} is not a valid cursor"))),
            }
        };
        return Ok(PageMode::Cursor {
            size,
            after: cur("page[after]")?,
            before: cur("page[before]")?,
        });
    }
    let page = parse_num(q, "page", 1)?.max(1);
    let per_page = parse_num(q, "per_page", 100)?.clamp(1, 100);
    Ok(PageMode::Offset { page, per_page })
}

/// Enforce the offset depth limit (100 pages / 10,000 records).
pub fn check_depth(page: u64, per_page: u64) -> Result<(), Reply> {
    if page > 100 || page.saturating_mul(per_page) > 10_000 {
        return Err(pagination_depth());
    }
    Ok(())
}

/// Build an offset page `{key: [...], next_page, previous_page, count}`.
pub fn offset_page(key: &str, items: Vec<Value>, page: u64, per_page: u64, url: &ListUrl) -> Value {
    let count = items.len() as u64;
    let start = ((page - 1) * per_page).min(count) as usize;
    let end = (start + per_page as usize).min(items.len());
    let slice: Vec<Value> = items.into_iter().skip(start).take(end - start).collect();
    let link = |p: u64| {
        let mut extra = vec![("page", p.to_string())];
        if url.query.has("per_page") {
            extra.push(("per_page", per_page.to_string()));
        }
        Value::String(format!(
            "{}{}.json?{}",
            url.origin,
            url.path,
            url.query.encode_with(&["page", "per_page"], &extra)
        ))
    };
    let next = if (end as u64) < count {
        link(page + 1)
    } else {
        Value::Null
    };
    let prev = if page > 1 {
        link(page - 1)
    } else {
        Value::Null
    };
    json!({key: slice, "next_page": next, "previous_page": prev, "count": count})
}

/// Build a cursor page `{key: [...], meta{...}, links{...}}` from `(id, json)` pairs in order.
pub fn cursor_page(
    key: &str,
    order: &str,
    items: Vec<(u64, Value)>,
    size: usize,
    after: Option<u64>,
    before: Option<u64>,
    url: &ListUrl,
) -> Result<Value, Reply> {
    let pos = |id: u64| items.iter().position(|(i, _)| *i == id);
    let (start, end, has_more) = match (after, before) {
        (Some(a), _) => {
            let p = pos(a).ok_or_else(|| invalid_pagination("page[after] cursor is stale"))? + 1;
            let e = (p + size).min(items.len());
            (p, e, e < items.len())
        }
        (None, Some(b)) => {
            let p = pos(b).ok_or_else(|| invalid_pagination("page[before] cursor is stale"))?;
            let s = p.saturating_sub(size);
            (s, p, s > 0)
        }
        (None, None) => {
            let e = size.min(items.len());
            (0, e, e < items.len())
        }
    };
    let page: Vec<(u64, Value)> = items.into_iter().skip(start).take(end - start).collect();
    let after_c = page.last().map(|(id, _)| encode_cursor(order, *id));
    let before_c = page.first().map(|(id, _)| encode_cursor(order, *id));
    let link = |k: &str, c: &Option<String>| match c {
        Some(c) => Value::String(format!(
            "{}{}.json?{}",
            url.origin,
            url.path,
            url.query.encode_with(
                &["page[after]", "page[before]", "page[size]"],
                &[(k, c.clone()), ("page[size]", size.to_string())]
            )
        )),
        None => Value::Null,
    };
    let links =
        json!({"prev": link("page[before]", &before_c), "next": link("page[after]", &after_c)});
    let values: Vec<Value> = page.into_iter().map(|(_, v)| v).collect();
    Ok(json!({
        key: values,
        "meta": {"has_more": has_more, "after_cursor": after_c, "before_cursor": before_c},
        "links": links,
    }))
}

/// Page a list either way (no depth limit applied here for cursor mode).
pub fn page_any(
    key: &str,
    order: &str,
    items: Vec<(u64, Value)>,
    mode: &PageMode,
    url: &ListUrl,
) -> Result<Value, Reply> {
    match *mode {
        PageMode::Offset { page, per_page } => {
            check_depth(page, per_page)?;
            Ok(offset_page(
                key,
                items.into_iter().map(|(_, v)| v).collect(),
                page,
                per_page,
                url,
            ))
        }
        PageMode::Cursor {
            size,
            after,
            before,
        } => cursor_page(key, order, items, size, after, before, url),
    }
}
