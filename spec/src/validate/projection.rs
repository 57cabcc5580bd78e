//! Pass 2 for output projections: every pointer and field a tool's `response.project` names
//! exists in its output schema (the checks themselves live with the model, in
//! [`crate::model::Projection::problems`]); a projection needs a declared `output`.

use indexmap::IndexMap;
use serde_json::Value;

use crate::model::{ConnectorSpec, ToolSpec};

/// `(pointer, message, hint)` for each problem of `tool`'s projection; `at` is the tool's pointer.
pub(super) fn problems(
    spec: &ConnectorSpec,
    tool: &ToolSpec,
    at: &str,
) -> Vec<(String, String, String)> {
    let Some(project) = &tool.response.project else {
        return Vec::new();
    };
    let base = format!("{at}/response/project");
    let Some(output) = &tool.response.output else {
        return vec![(
            base,
            "a projection needs the full output schema to check its fields against".into(),
            "declare `response.output` (the selected output before projection)".into(),
        )];
    };
    let mut out: Vec<_> = project
        .problems(&spec.models, output)
        .into_iter()
        .map(|p| (format!("{base}{}", p.at), p.message, p.hint))
        .collect();
    out.extend(model_names(spec, tool, &base));
    out
}

/// Problems with the model names `tool`'s projection gives its records: a name already under
/// `models:`, or one an earlier record (of any tool) projects to another shape.
fn model_names(spec: &ConnectorSpec, tool: &ToolSpec, base: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let Some(mine) = named_records(spec, tool) else {
        return out;
    };
    for (j, name, schema) in mine {
        let at = format!("{base}/records/{j}/model");
        if spec.models.contains_key(&name) {
            out.push((
                at,
                format!("`{name}` is already a model under `models:`"),
                "give the projected record its own model name".into(),
            ));
            continue;
        }
        let first = spec
            .tools
            .iter()
            .filter_map(|t| Some((t, named_records(spec, t)?)))
            .flat_map(|(t, recs)| recs.into_iter().map(move |r| (t, r)))
            .find(|(_, (_, n, _))| *n == name);
        if let Some((other, (k, _, first))) = first {
            let same_place = other.name == tool.name && k == j;
            if !same_place && first != schema {
                out.push((
                    at,
                    format!(
                        "`{name}` is projected to another shape by tool `{}` (records/{k})",
                        other.name
                    ),
                    "project the same fields in the same order, or use another model name".into(),
                ));
            }
        }
    }
    out
}

/// `(record index, model name, projected schema)` for each record of `tool` that names a model.
fn named_records(spec: &ConnectorSpec, tool: &ToolSpec) -> Option<Vec<(usize, String, Value)>> {
    let (project, output) = (
        tool.response.project.as_ref()?,
        tool.response.output.as_ref()?,
    );
    let mut named = IndexMap::new();
    project.schema_naming(&spec.models, output, Some(&mut named));
    Some(
        project
            .records
            .iter()
            .enumerate()
            .filter_map(|(j, r)| {
                let name = r.model.clone()?;
                let schema = named.get(&name)?.clone();
                Some((j, name, schema))
            })
            .collect(),
    )
}
