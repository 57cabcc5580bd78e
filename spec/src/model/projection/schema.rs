//! The projected output schema (what generated types, schemas and docs describe) and the
//! checks that every pointer and field a projection names exists in the tool's output schema.

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::{Projection, ProjectionProblem, RecordProjection};

impl Projection {
    /// The projected output schema from the full one (`models`: the spec's named models, for
    /// `#/models/X` references on the way to a record).
    pub fn schema(&self, models: &IndexMap<String, Value>, output: &Value) -> Value {
        self.schema_naming(models, output, None)
    }

    /// [`schema`](Self::schema); with `named`, a record projection that names a `model` is
    /// placed there and referenced as `#/models/<model>` instead of inlined.
    pub fn schema_naming(
        &self,
        models: &IndexMap<String, Value>,
        output: &Value,
        mut named: Option<&mut IndexMap<String, Value>>,
    ) -> Value {
        let mut schema = output.clone();
        for record in &self.records {
            if let Ok(node) = record_node(models, &mut schema, &record.at) {
                let projected = record.schema(node);
                *node = match (&record.model, named.as_deref_mut()) {
                    (Some(name), Some(named)) => {
                        named.insert(name.clone(), projected);
                        json!({"$ref": format!("#/models/{name}")})
                    }
                    _ => projected,
                };
            }
        }
        let root = inline_ref(models, &mut schema);
        if let Some(props) = root.get_mut("properties").and_then(Value::as_object_mut) {
            for key in &self.drop {
                props.shift_remove(key);
            }
        }
        if let Some(req) = root.get_mut("required").and_then(Value::as_array_mut) {
            req.retain(|k| !self.drop.iter().any(|d| Some(d.as_str()) == k.as_str()));
        }
        schema
    }

    /// Every pointer and field the projection names that the output schema does not have.
    pub fn problems(
        &self,
        models: &IndexMap<String, Value>,
        output: &Value,
    ) -> Vec<ProjectionProblem> {
        let mut out = Vec::new();
        let mut bad = |at: String, message: String, hint: &str| {
            out.push(ProjectionProblem {
                at,
                message,
                hint: hint.into(),
            })
        };
        for (i, record) in self.records.iter().enumerate() {
            let base = format!("/records/{i}");
            let mut schema = output.clone();
            let node = match record_node(models, &mut schema, &record.at) {
                Ok(node) => node.clone(),
                Err(why) => {
                    bad(
                        format!("{base}/at"),
                        format!(
                            "`{}` does not reach a record in the output: {why}",
                            record.at
                        ),
                        "point at an object or an array of objects the output schema declares",
                    );
                    continue;
                }
            };
            let fields = property_names(&node);
            let missing = |f: &str| !fields.iter().any(|k| k == f);
            let known = fields.join(", ");
            for (j, f) in record.keep.iter().enumerate() {
                if missing(f) {
                    bad(
                        format!("{base}/keep/{j}"),
                        format!("`{f}` is not a field of the record at `{}`", record.at),
                        &format!("use one of: {known}"),
                    );
                }
            }
            for (new, old) in &record.rename {
                if missing(old) {
                    bad(
                        format!("{base}/rename/{new}"),
                        format!("`{old}` is not a field of the record at `{}`", record.at),
                        &format!("use one of: {known}"),
                    );
                }
            }
            // `apply` moves each record field out once: a second keep / rename of it reads null.
            let mut sources: Vec<&str> = Vec::new();
            let uses = (record.keep.iter().enumerate())
                .map(|(j, f)| (format!("{base}/keep/{j}"), f.as_str()))
                .chain(
                    (record.rename.iter())
                        .map(|(new, old)| (format!("{base}/rename/{new}"), old.as_str())),
                );
            for (at, source) in uses {
                if sources.contains(&source) {
                    bad(
                        at,
                        format!("the record field `{source}` is used twice (keep / rename)"),
                        "keep or rename a field once; the second use would always be null",
                    );
                }
                sources.push(source);
            }
            for (new, r) in &record.resolve {
                let at = format!("{base}/resolve/{new}");
                if missing(&r.id) {
                    bad(
                        format!("{at}/id"),
                        format!("`{}` is not a field of the record at `{}`", r.id, record.at),
                        &format!("use one of: {known}"),
                    );
                }
                let mut whole = output.clone();
                match sideload_item(models, &mut whole, &r.from) {
                    Ok(item) => {
                        let names = property_names(item);
                        for (key, field) in [("name", &r.name), ("from", &"id".to_string())] {
                            if !names.iter().any(|k| k == field) {
                                bad(
                                    format!("{at}/{key}"),
                                    format!("the records at `{}` have no `{field}` field", r.from),
                                    &format!("their fields: {}", names.join(", ")),
                                );
                            }
                        }
                    }
                    Err(why) => bad(
                        format!("{at}/from"),
                        format!(
                            "`{}` does not reach an array of records in the output: {why}",
                            r.from
                        ),
                        "point at a sideloaded array the output schema declares (add it to `select` and `output`)",
                    ),
                }
            }
            let mut names: Vec<&str> = Vec::new();
            for new in (record.keep.iter())
                .chain(record.rename.keys())
                .chain(record.resolve.keys())
            {
                if names.contains(&new.as_str()) {
                    bad(
                        base.clone(),
                        format!("the projected record has two fields named `{new}`"),
                        "give each kept, renamed or resolved field its own name",
                    );
                }
                names.push(new);
            }
        }
        let mut root = output.clone();
        let fields = property_names(inline_ref(models, &mut root));
        for (j, key) in self.drop.iter().enumerate() {
            if !fields.iter().any(|k| k == key) {
                bad(
                    format!("/drop/{j}"),
                    format!("`{key}` is not a top-level field of the output"),
                    &format!("use one of: {}", fields.join(", ")),
                );
            }
        }
        out
    }
}

impl crate::model::ConnectorSpec {
    /// A copy of the spec in which every projected tool's `output` is its projected schema
    /// (and `project` is gone): what generated types, schemas and docs describe.
    pub fn projected(&self) -> crate::model::ConnectorSpec {
        let mut spec = self.clone();
        let mut named = IndexMap::new();
        for tool in &mut spec.tools {
            if let (Some(p), Some(output)) = (tool.response.project.take(), &tool.response.output) {
                tool.response.output =
                    Some(p.schema_naming(&self.models, output, Some(&mut named)));
            }
        }
        for (name, schema) in named {
            spec.models.entry(name).or_insert(schema);
        }
        spec
    }
}

impl RecordProjection {
    fn schema(&self, full: &Value) -> Value {
        let props = full.get("properties").and_then(Value::as_object);
        let prop = |f: &str| props.and_then(|p| p.get(f)).cloned().unwrap_or(json!({}));
        let required: Vec<&str> = full
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut properties = Map::new();
        let mut req = Vec::new();
        for f in &self.keep {
            properties.insert(f.clone(), prop(f));
            if required.contains(&f.as_str()) {
                req.push(f.clone());
            }
        }
        for (new, old) in &self.rename {
            properties.insert(new.clone(), prop(old));
            if required.contains(&old.as_str()) {
                req.push(new.clone());
            }
        }
        for (new, r) in &self.resolve {
            properties.insert(new.clone(), resolved_schema(&prop(&r.id)));
        }
        let mut out = Map::new();
        out.insert("type".into(), json!("object"));
        if let Some(d) = full.get("description") {
            out.insert("description".into(), d.clone());
        }
        if !req.is_empty() {
            out.insert("required".into(), json!(req));
        }
        out.insert("properties".into(), Value::Object(properties));
        Value::Object(out)
    }
}

/// A resolved field: a string name, or the id's own type when it was not sideloaded.
fn resolved_schema(id: &Value) -> Value {
    let mut types = vec![json!("string")];
    match id.get("type") {
        Some(Value::String(t)) if t != "string" => types.push(json!(t)),
        Some(Value::Array(ts)) => types.extend(ts.iter().filter(|t| *t != "string").cloned()),
        _ => {}
    }
    let what = id
        .get("description")
        .and_then(Value::as_str)
        .map(|d| d.trim_end_matches('.'))
        .unwrap_or("Related record");
    json!({"type": types, "description": format!("{what}: name (the id if not sideloaded).")})
}

/// Replaces a `#/models/X` reference node with (a copy of) the model; returns the node.
fn inline_ref<'v>(models: &IndexMap<String, Value>, node: &'v mut Value) -> &'v mut Value {
    let model = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/models/"))
        .and_then(|name| models.get(name));
    if let Some(model) = model {
        *node = model.clone();
    }
    node
}

/// Walks an output schema along a JSON pointer through `properties`, inlining model
/// references on the way.
fn walk<'v>(
    models: &IndexMap<String, Value>,
    schema: &'v mut Value,
    pointer: &str,
) -> Result<&'v mut Value, String> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err("a JSON pointer starts with `/`".into());
    }
    let mut node = inline_ref(models, schema);
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        let fields = property_names(node).join(", ");
        node = match node.get_mut("properties").and_then(|p| p.get_mut(&seg)) {
            Some(next) => inline_ref(models, next),
            None => return Err(format!("no field `{seg}` (fields: {fields})")),
        };
    }
    Ok(node)
}

/// The record schema at `pointer`: an object, or an array's object items.
fn record_node<'v>(
    models: &IndexMap<String, Value>,
    schema: &'v mut Value,
    pointer: &str,
) -> Result<&'v mut Value, String> {
    let node = walk(models, schema, pointer)?;
    let node = if is_type(node, "array") {
        match node.get_mut("items") {
            Some(items) => inline_ref(models, items),
            None => return Err("the array does not declare its `items`".into()),
        }
    } else {
        node
    };
    if node.get("properties").and_then(Value::as_object).is_some() {
        Ok(node)
    } else {
        Err("it is not an object with declared properties".into())
    }
}

/// The item schema of the sideloaded array at `pointer`.
fn sideload_item<'v>(
    models: &IndexMap<String, Value>,
    schema: &'v mut Value,
    pointer: &str,
) -> Result<&'v mut Value, String> {
    let node = walk(models, schema, pointer)?;
    if !is_type(node, "array") {
        return Err("it is not an array".into());
    }
    match node.get_mut("items") {
        Some(items) if items.get("$ref").is_some() || items.get("properties").is_some() => {
            Ok(inline_ref(models, items))
        }
        _ => Err("its items declare no properties".into()),
    }
}

fn is_type(schema: &Value, ty: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == ty,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == ty),
        _ => false,
    }
}

fn property_names(schema: &Value) -> Vec<String> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}
