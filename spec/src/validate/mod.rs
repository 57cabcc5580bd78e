//! Two validation passes over a loaded spec, each collecting every problem it finds:
//! [`shape`] checks the document against `connector.schema.json`; [`meaning`] checks what a
//! schema cannot (templates name declared variables, path params are inputs, annotations fit
//! the method, names suit MCP and OpenAI, pointers and models resolve).

mod meaning;
mod shape;

use crate::diagnostic::Diagnostics;
use crate::load::Document;
use crate::model::ConnectorSpec;

/// Runs both passes; on success returns the typed spec.
///
/// When the shape pass finds problems only inside some tools, the meaning pass still runs
/// over everything else, so one run reports as much as possible.
pub fn validate(doc: &Document) -> Result<ConnectorSpec, Diagnostics> {
    let mut problems = shape::check(doc);
    let bad_tools = tools_with_problems(&problems);
    let only_in_tools = problems.iter().all(|d| tool_index(&d.pointer).is_some());
    if problems.is_empty() || only_in_tools {
        let (value, kept) = without_tools(&doc.value, &bad_tools);
        match serde_json::from_value::<ConnectorSpec>(value) {
            Ok(spec) => {
                problems.0.extend(meaning::check(doc, &spec, &kept).0);
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
    }
    problems.sort();
    Err(problems)
}

fn tool_index(pointer: &str) -> Option<usize> {
    pointer
        .strip_prefix("/tools/")?
        .split('/')
        .next()?
        .parse()
        .ok()
}

fn tools_with_problems(problems: &Diagnostics) -> Vec<usize> {
    problems
        .iter()
        .filter_map(|d| tool_index(&d.pointer))
        .collect()
}

/// The spec without the given tools, and the original index of each tool kept.
fn without_tools(value: &serde_json::Value, drop: &[usize]) -> (serde_json::Value, Vec<usize>) {
    let mut value = value.clone();
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
