//! Comparing what the engine sent with what a cassette lists, and what a step produced with
//! what it expects; every mismatch is a readable text (JSON bodies as a line diff).
//! `"{{any}}"` in an expected value matches whatever was sent.

use serde_json::{Map, Value};
use similar::TextDiff;

use crate::model::{ANY, ExpectedRequest};
use crate::standin::Received;

/// One line naming a request: `GET host/path?query`.
pub fn describe(r: &Received) -> String {
    let q = if r.query.is_empty() {
        String::new()
    } else {
        let pairs: Vec<String> = r.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("?{}", pairs.join("&"))
    };
    format!("{} {}{}", r.method, r.path, q)
}

/// One line naming an expected request.
pub fn describe_expected(e: &ExpectedRequest) -> String {
    format!("{} {}", e.method, e.path)
}

/// Every difference between the request sent and the one expected (empty = it matches).
pub fn request_problems(got: &Received, want: &ExpectedRequest) -> Vec<String> {
    let mut out = Vec::new();
    if got.method != want.method || got.path != want.path {
        out.push(format!(
            "expected {}, got {}",
            describe_expected(want),
            describe(got)
        ));
    }
    if let Some(host) = &want.host
        && !host.eq_ignore_ascii_case(&got.host)
    {
        out.push(format!("expected host {host}, got host {}", got.host));
    }
    let want_query = want.query.as_ref().map(pairs).unwrap_or_default();
    if let Some(d) = pairs_problem("query", &got.query, &want_query) {
        out.push(d);
    }
    for (name, value) in &want.headers {
        let want_value = scalar(value);
        let got_values: Vec<&str> = got
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        if got_values.is_empty() {
            out.push(format!(
                "header {name}: expected {want_value:?}, it was not sent"
            ));
        } else if want_value != ANY && !got_values.contains(&want_value.as_str()) {
            out.push(format!(
                "header {name}: expected {want_value:?}, got {:?}",
                got_values.join(", ")
            ));
        }
    }
    if let Some(json) = &want.json {
        match serde_json::from_slice::<Value>(&got.body) {
            Ok(sent) if matches(&sent, json) => {}
            Ok(sent) => out.push(format!(
                "JSON body differs (- expected, + sent):\n{}",
                json_diff(json, &sent)
            )),
            Err(_) => out.push(format!(
                "expected a JSON body, got {:?}",
                String::from_utf8_lossy(&got.body)
            )),
        }
    }
    if let Some(form) = &want.form {
        let sent: Vec<(String, String)> = url::form_urlencoded::parse(&got.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if let Some(d) = pairs_problem("form body", &sent, &pairs(form)) {
            out.push(d);
        }
    }
    out
}

/// Whether `got` equals `want`, where `"{{any}}"` in `want` matches anything.
pub fn matches(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (_, Value::String(s)) if s == ANY => true,
        (Value::Object(g), Value::Object(w)) => {
            g.len() == w.len()
                && w.iter()
                    .all(|(k, wv)| g.get(k).is_some_and(|gv| matches(gv, wv)))
        }
        (Value::Array(g), Value::Array(w)) => {
            g.len() == w.len() && g.iter().zip(w).all(|(g, w)| matches(g, w))
        }
        (g, w) => g == w,
    }
}

/// Whether every key of `want` is in `got` with a matching value (objects compared as
/// subsets at every level).
pub fn contains(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (_, Value::String(s)) if s == ANY => true,
        (Value::Object(g), Value::Object(w)) => w
            .iter()
            .all(|(k, wv)| g.get(k).is_some_and(|gv| contains(gv, wv))),
        (g, w) => matches(g, w),
    }
}

/// A line diff of two JSON values, pretty-printed.
pub fn json_diff(want: &Value, got: &Value) -> String {
    let a = serde_json::to_string_pretty(want).unwrap_or_default();
    let b = serde_json::to_string_pretty(got).unwrap_or_default();
    TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .header("expected", "got")
        .to_string()
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Expected pairs from a mapping whose values are scalars or lists of scalars.
fn pairs(map: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in map {
        match v {
            Value::Array(items) => out.extend(items.iter().map(|i| (k.clone(), scalar(i)))),
            other => out.push((k.clone(), scalar(other))),
        }
    }
    out
}

fn pairs_problem(
    what: &str,
    got: &[(String, String)],
    want: &[(String, String)],
) -> Option<String> {
    let mut got_sorted: Vec<&(String, String)> = got.iter().collect();
    got_sorted.sort();
    let mut want_sorted: Vec<&(String, String)> = want.iter().collect();
    want_sorted.sort();
    let same = got_sorted.len() == want_sorted.len()
        && got_sorted
            .iter()
            .zip(&want_sorted)
            .all(|((gk, gv), (wk, wv))| gk == wk && (wv == ANY || gv == wv));
    if same {
        return None;
    }
    let show = |p: &[&(String, String)]| {
        if p.is_empty() {
            "(none)".to_string()
        } else {
            p.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        }
    };
    Some(format!(
        "{what}: expected {}, got {}",
        show(&want_sorted),
        show(&got_sorted)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn any_matches_everything_and_subsets_ignore_extra_keys() {
        assert!(matches(
            &json!({"a": 1, "b": "x"}),
            &json!({"a": 1, "b": ANY})
        ));
        assert!(!matches(&json!({"a": 1, "b": "x"}), &json!({"a": 1})));
        assert!(contains(
            &json!({"a": 1, "b": {"c": 2, "d": 3}}),
            &json!({"b": {"c": 2}})
        ));
        assert!(!contains(&json!({"a": 1}), &json!({"a": 2})));
    }

    #[test]
    fn query_pairs_compare_as_sets_with_lists_for_repeats() {
        let want = pairs(
            json!({"a": "1", "b": ["x", "y"], "n": 30})
                .as_object()
                .unwrap(),
        );
        let got = vec![
            ("b".to_string(), "y".to_string()),
            ("n".to_string(), "30".to_string()),
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "x".to_string()),
        ];
        assert_eq!(pairs_problem("query", &got, &want), None);
        let d = pairs_problem("query", &got[..2], &want).unwrap();
        assert!(d.contains("expected a=1&b=x&b=y&n=30"), "{d}");
    }
}
