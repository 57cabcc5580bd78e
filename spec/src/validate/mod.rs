//! Two validation passes over a loaded spec, each collecting every problem it finds:
//! [`shape`] checks the document against `connector.schema.json`; [`meaning`] checks what a
//! schema cannot (templates name declared variables, path params are inputs, annotations fit
//! the method, names suit MCP and OpenAI, pointers and models resolve).

mod meaning;
mod projection;
mod shape;

use crate::diagnostic::Diagnostics;
use crate::load::Document;
use crate::model::ConnectorSpec;

/// Runs both passes; on success returns the typed spec.
///
/// Shape problems do not stop the meaning pass: an unknown key is left out of the document it
/// checks, a tool with any other shape problem is left out whole, and any other problem marks
/// its node, under which the meaning pass then reports nothing (the shape problem says it
/// already). The meaning pass runs whenever what remains reads as a spec, so one run reports
/// as much as possible.
pub fn validate(doc: &Document) -> Result<ConnectorSpec, Diagnostics> {
    let shape = shape::check(doc);
    let mut problems = shape.problems;
    let mut value = doc.value.clone();
    for key in &shape.unknown_keys {
        crate::pointer::remove(&mut value, key);
    }
    let others: Vec<&str> = problems
        .iter()
        .map(|d| d.pointer.as_str())
        .filter(|p| !shape.unknown_keys.iter().any(|k| k == p))
        .collect();
    let bad_tools: Vec<usize> = others.iter().filter_map(|p| tool_index(p)).collect();
    let marked: Vec<String> = others
        .iter()
        .filter(|p| tool_index(p).is_none())
        .map(|p| p.to_string())
        .collect();
    let (value, kept) = without_tools(value, &bad_tools);
    match serde_json::from_value::<ConnectorSpec>(value) {
        Ok(spec) => {
            let meaning = meaning::check(doc, &spec, &kept);
            problems.0.extend(
                meaning
                    .0
                    .into_iter()
                    .filter(|d| !marked.iter().any(|m| is_under(&d.pointer, m))),
            );
            if problems.is_empty() {
                return Ok(spec);
            }
        }
        Err(e) if problems.is_empty() => problems.0.push(doc.diagnostic(
            "",
            format!("spec does not match the model: {e}"),
            Some("this is a bug in toolwire: connector.schema.json accepted what the model rejects; please report it".into()),
        )),
        Err(_) => {}
    }
    problems.sort();
    Err(problems)
}

/// True when `pointer` is `node` or inside it.
fn is_under(pointer: &str, node: &str) -> bool {
    pointer
        .strip_prefix(node)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn tool_index(pointer: &str) -> Option<usize> {
    pointer
        .strip_prefix("/tools/")?
        .split('/')
        .next()?
        .parse()
        .ok()
}

/// The spec without the given tools, and the original index of each tool kept.
fn without_tools(mut value: serde_json::Value, drop: &[usize]) -> (serde_json::Value, Vec<usize>) {
    let mut kept = Vec::new();
    if let Some(tools) = value
        .get_mut("tools")
        .and_then(serde_json::Value::as_array_mut)
    {
        let all = std::mem::take(tools);
        for (i, tool) in all.into_iter().enumerate() {
            if !drop.contains(&i) {
                kept.push(i);
                tools.push(tool);
            }
        }
    }
    (value, kept)
}
