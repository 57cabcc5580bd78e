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
pub fn validate(doc: &Document) -> Result<ConnectorSpec, Diagnostics> {
    let mut problems = shape::check(doc);
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    let spec: ConnectorSpec = serde_json::from_value(doc.value.clone()).map_err(|e| {
        Diagnostics(vec![doc.diagnostic(
            "",
            format!("spec does not match the model: {e}"),
            Some("this is a bug in toolwire: connector.schema.json accepted what the model rejects; please report it".into()),
        )])
    })?;
    let mut problems = meaning::check(doc, &spec);
    if problems.is_empty() {
        Ok(spec)
    } else {
        problems.sort();
        Err(problems)
    }
}
