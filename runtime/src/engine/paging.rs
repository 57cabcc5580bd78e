//! Paging by URL: the `rel="next"` URL of a response's `Link` header (RFC 8288, style
//! `link_header`) or a next-page URL in its body (style `next_url`, often a path relative to
//! the server) becomes the tool's next cursor, and a cursor passed back becomes the exact URL
//! of the request (its path may differ from the tool's; a relative one is resolved against the
//! base URL), once checked to stay on the account's server: same scheme, host and port as the
//! base URL, or the call fails with `INVALID_INPUT` naming the input.

use reqwest::header::{HeaderMap, LINK};
use serde_json::Value;
use toolwire_spec::{Pagination, ToolSpec};

use super::ToolOutput;
use crate::error::{Error, FieldProblem, Result};

/// The `rel="next"` URL of the answer's `Link` headers, if any.
pub(crate) fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| parse_link_header::parse_with_rel(v).ok())
        .find_map(|mut links| links.remove("next"))
        .map(|link| link.raw_uri)
}

/// For a `link_header` or `next_url` tool called with a cursor: the URL to request instead of
/// the tool's path. Refuses a URL that leaves the account's server.
pub(crate) fn cursor_url(tool: &ToolSpec, input: &Value, base: &str) -> Result<Option<String>> {
    let (Pagination::LinkHeader { cursor_input } | Pagination::NextUrl { cursor_input, .. }) =
        &tool.pagination
    else {
        return Ok(None);
    };
    let Some(cursor) = input.get(cursor_input).and_then(Value::as_str) else {
        return Ok(None);
    };
    let refuse = |message: &str| Error::InvalidInput {
        tool: tool.name.clone(),
        problems: vec![FieldProblem {
            field: cursor_input.clone(),
            message: message.to_string(),
        }],
    };
    let base = url::Url::parse(base).map_err(|_| refuse("cannot be checked"))?;
    // A path (`/api/v1/query/42-2000`) is on the base URL's server; a whole URL must be too.
    let relative = cursor.starts_with('/') && !cursor.starts_with("//");
    let url = if relative {
        base.join(cursor)
    } else {
        url::Url::parse(cursor)
    }
    .map_err(|_| refuse("is not a URL: pass back the next_cursor of a previous call as is"))?;
    let same_origin = url.scheme() == base.scheme()
        && url.host_str().map(str::to_ascii_lowercase)
            == base.host_str().map(str::to_ascii_lowercase)
        && url.port_or_known_default() == base.port_or_known_default()
        && url.username().is_empty()
        && url.password().is_none();
    if !same_origin {
        return Err(refuse(
            "points to another server than the account's: pass back the next_cursor of a previous call as is",
        ));
    }
    // A whole URL is requested exactly as the vendor wrote it.
    Ok(Some(if relative {
        url.to_string()
    } else {
        cursor.to_string()
    }))
}

/// Sets the output's cursor from the main answer's `Link` header for `link_header` tools.
pub(crate) fn finish(tool: &ToolSpec, out: &mut ToolOutput, next: Option<String>) {
    if let Pagination::LinkHeader { .. } = tool.pagination {
        out.has_more = next.is_some();
        out.next_cursor = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool() -> ToolSpec {
        serde_json::from_value(json!({
            "name": "things_list", "title": "List", "description": "List the things, page by page.",
            "annotations": {"read_only": true, "destructive": false, "idempotent": true, "open_world": true},
            "input": {"type": "object", "properties": {"cursor": {"type": "string", "maxLength": 2048}}},
            "request": {"method": "GET", "path": "/things"},
            "pagination": {"style": "link_header", "cursor_input": "cursor"}
        }))
        .unwrap()
    }

    #[test]
    fn the_next_link_is_found_among_others_and_kept_exactly() {
        let mut h = HeaderMap::new();
        h.insert(
            LINK,
            r#"<https://api.example.com/repositories/42/issues?page=2&per_page=1>; rel="next", <https://api.example.com/repositories/42/issues?page=9&per_page=1>; rel="last""#
                .parse()
                .unwrap(),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("https://api.example.com/repositories/42/issues?page=2&per_page=1")
        );
        let mut last = HeaderMap::new();
        last.insert(
            LINK,
            r#"<https://api.example.com/x?page=1>; rel="prev""#.parse().unwrap(),
        );
        assert_eq!(next_link(&last), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn a_cursor_on_the_same_server_is_requested_as_is_even_on_another_path() {
        let next = "https://ghe.example.com/api/v3/repositories/42/issues?page=2";
        let got = cursor_url(
            &tool(),
            &json!({"cursor": next}),
            "https://ghe.example.com/api/v3",
        )
        .unwrap();
        assert_eq!(got.as_deref(), Some(next));
        assert_eq!(
            cursor_url(&tool(), &json!({}), "https://ghe.example.com/api/v3").unwrap(),
            None
        );
    }

    fn next_url_tool() -> ToolSpec {
        serde_json::from_value(json!({
            "name": "things_query", "title": "Query", "description": "Query the things, page by page.",
            "annotations": {"read_only": true, "destructive": false, "idempotent": true, "open_world": true},
            "input": {"type": "object", "properties": {"cursor": {"type": "string", "maxLength": 2048}}},
            "request": {"method": "GET", "path": "/query"},
            "pagination": {"style": "next_url", "cursor_input": "cursor", "next_url": "/nextRecordsUrl", "done": "/done"}
        }))
        .unwrap()
    }

    #[test]
    fn a_relative_next_url_is_resolved_on_the_base_server_and_may_not_leave_it() {
        let base = "https://acme.my.example.com/services/data/v62.0";
        let got = cursor_url(
            &next_url_tool(),
            &json!({"cursor": "/services/data/v62.0/query/01gD0000002HU6KIAW-2000"}),
            base,
        )
        .unwrap();
        assert_eq!(
            got.as_deref(),
            Some("https://acme.my.example.com/services/data/v62.0/query/01gD0000002HU6KIAW-2000")
        );
        for bad in [
            "//evil.example/services/data/v62.0/query/1",
            "https://evil.example/services/data/v62.0/query/1",
            "http://acme.my.example.com/services/data/v62.0/query/1",
        ] {
            match cursor_url(&next_url_tool(), &json!({"cursor": bad}), base) {
                Err(Error::InvalidInput { problems, .. }) => {
                    assert_eq!(problems[0].field, "cursor", "{bad}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_next_url_in_the_body_is_the_cursor_until_done() {
        let tool = next_url_tool();
        let id = uuid::Uuid::nil();
        let more = crate::engine::output::output(
            &tool,
            json!({"done": false, "nextRecordsUrl": "/services/data/v62.0/query/x-2000", "records": []}),
            &json!({}),
            id,
        );
        assert_eq!(
            more.next_cursor.as_deref(),
            Some("/services/data/v62.0/query/x-2000")
        );
        assert!(more.has_more);
        for last in [
            json!({"done": true, "nextRecordsUrl": "/services/data/v62.0/query/x-4000"}),
            json!({"done": true}),
            json!({"records": []}),
        ] {
            let out = crate::engine::output::output(&tool, last.clone(), &json!({}), id);
            assert_eq!((out.next_cursor, out.has_more), (None, false), "{last}");
        }
    }

    #[test]
    fn a_cursor_leaving_the_server_is_invalid_input_naming_the_input() {
        for bad in [
            "https://evil.example/api/v3/issues?page=2",
            "http://ghe.example.com/api/v3/issues?page=2",
            "https://ghe.example.com:8443/api/v3/issues?page=2",
            "https://user@ghe.example.com/api/v3/issues",
            "not a url",
        ] {
            match cursor_url(
                &tool(),
                &json!({"cursor": bad}),
                "https://ghe.example.com/api/v3",
            ) {
                Err(Error::InvalidInput { problems, .. }) => {
                    assert_eq!(problems[0].field, "cursor", "{bad}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
