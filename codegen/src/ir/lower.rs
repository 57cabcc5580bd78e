//! Spec → [`Module`]: walks tool inputs, tool outputs and models, turning JSON Schemas into
//! structs, fields and enum slots. Names are claimed up front (models, then tool inputs, then
//! inline outputs) so a nested struct can never take a tool's name.

use indexmap::IndexMap;
use serde_json::Value;
use toolwire_spec::{ConnectorSpec, ToolSpec};

use super::enums::{self, EnumSlot};
use super::names::{claim, field_ident, type_name};
use super::{Field, Module, StructDef, ToolEntry, ToolImpl, Ty};
use crate::schemas::notes;

struct Lowerer<'a> {
    spec: &'a ConnectorSpec,
    taken: Vec<String>,
    models: IndexMap<String, String>,
    structs: Vec<StructDef>,
    slots: Vec<EnumSlot>,
}

/// Where a schema sits, for naming what it becomes.
#[derive(Clone, Copy)]
struct Place<'p> {
    owner: &'p str,
    field: &'p str,
    /// How many array levels deep (`custom_fields` items → `..CustomFieldsItem`).
    depth: usize,
    /// Inputs reject unknown properties when the schema says so; outputs never do.
    input: bool,
}

impl Module {
    /// Lowers a loaded spec; a tool's output type is its projected shape when it declares
    /// `response.project`.
    pub fn lower(spec: &ConnectorSpec) -> Module {
        let projected = spec.projected();
        let spec = &projected;
        let mut l = Lowerer {
            spec,
            taken: Vec::new(),
            models: IndexMap::new(),
            structs: Vec::new(),
            slots: Vec::new(),
        };
        for name in spec.models.keys() {
            let rust = claim(&mut l.taken, type_name(name));
            l.models.insert(name.clone(), rust);
        }
        let inputs: Vec<String> = spec
            .tools
            .iter()
            .map(|t| claim(&mut l.taken, type_name(short_name(spec, t))))
            .collect();
        let outputs: Vec<Option<String>> = spec
            .tools
            .iter()
            .zip(&inputs)
            .map(|(t, input)| {
                inline_output(t).map(|_| claim(&mut l.taken, format!("{input}Output")))
            })
            .collect();

        let mut tools = Vec::new();
        for ((tool, input), output) in spec.tools.iter().zip(&inputs).zip(&outputs) {
            let at = l.structs.len();
            l.object(input, &tool.input, tool_docs(tool), true, None);
            let output_ty = match (output, &tool.response.output) {
                (Some(name), Some(schema)) => {
                    let docs = vec![format!("Output of [`{input}`] (`{}`).", tool.name)];
                    l.object(name, schema, docs, false, None);
                    Ty::Struct(name.clone())
                }
                (None, Some(schema)) => l.ty(
                    schema,
                    Place {
                        owner: input,
                        field: "output",
                        depth: 0,
                        input: false,
                    },
                ),
                _ => Ty::Any,
            };
            l.structs[at].tool = Some(ToolImpl {
                name: tool.name.clone(),
                output: output_ty,
            });
            tools.push(ToolEntry {
                name: tool.name.clone(),
                type_name: input.clone(),
                title: tool.title.clone(),
                method: tool.request.method,
                path: tool.request.path.clone(),
            });
        }
        let models: Vec<(String, String)> = l
            .models
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (spec_name, rust) in &models {
            let schema = &spec.models[spec_name];
            let mut docs = description_lines(schema);
            if docs.is_empty() {
                docs.push(format!("The `{spec_name}` model."));
            }
            l.object(rust, schema, docs, false, None);
        }
        l.finish(tools)
    }
}

impl Lowerer<'_> {
    /// Lowers an object schema into the struct `name`, placed before the structs its fields
    /// create.
    fn object(
        &mut self,
        name: &str,
        schema: &Value,
        docs: Vec<String>,
        input: bool,
        tool: Option<ToolImpl>,
    ) {
        let at = self.structs.len();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut idents = Vec::new();
        let mut fields = Vec::new();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (wire, prop) in props {
                let ty = self.ty(
                    prop,
                    Place {
                        owner: name,
                        field: wire,
                        depth: 0,
                        input,
                    },
                );
                let ty = match ty {
                    Ty::Option(_) => ty,
                    _ if required.contains(&wire.as_str()) => ty,
                    other => Ty::Option(Box::new(other)),
                };
                fields.push(Field {
                    ident: claim(&mut idents, field_ident(wire)),
                    wire: wire.clone(),
                    docs: field_docs(prop),
                    ty,
                });
            }
        }
        let closed = input && schema.get("additionalProperties") == Some(&Value::Bool(false));
        let def = StructDef {
            name: name.to_string(),
            docs,
            fields,
            closed,
            default: true,
            tool,
        };
        self.structs.insert(at, def);
    }

    fn ty(&mut self, schema: &Value, place: Place) -> Ty {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            return match target
                .strip_prefix("#/models/")
                .and_then(|m| self.models.get(m))
            {
                Some(rust) => Ty::Struct(rust.clone()),
                None => Ty::Any,
            };
        }
        let (types, mut nullable) = types(schema);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            nullable |= values.iter().any(Value::is_null);
            let strings: Vec<String> = values
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
            let non_null = values.iter().filter(|v| !v.is_null()).count();
            if !strings.is_empty() && strings.len() == non_null {
                let field = type_name(place.field);
                self.slots.push(EnumSlot {
                    qualified: format!("{}{field}", place.owner),
                    short: field,
                    field: place.field.to_string(),
                    values: strings,
                });
                return wrap(Ty::Enum(self.slots.len() - 1), nullable);
            }
        }
        let has_props = schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        let base = match types.as_slice() {
            ["string"] => Ty::String,
            ["integer"] => Ty::Integer,
            ["number"] => Ty::Number,
            ["boolean"] => Ty::Boolean,
            ["array"] => Ty::List(Box::new(match schema.get("items") {
                Some(items) => self.ty(
                    items,
                    Place {
                        depth: place.depth + 1,
                        ..place
                    },
                ),
                None => Ty::Any,
            })),
            ["object"] | [] if has_props => {
                let candidate = format!(
                    "{}{}{}",
                    place.owner,
                    type_name(place.field),
                    "Item".repeat(place.depth)
                );
                let name = claim(&mut self.taken, candidate);
                let mut docs = description_lines(schema);
                if !docs.is_empty() {
                    docs.push(String::new());
                }
                let role = if place.depth > 0 { "An item of" } else { "The" };
                docs.push(format!("{role} `{}` of [`{}`].", place.field, place.owner));
                self.object(&name, schema, docs, place.input, None);
                Ty::Struct(name)
            }
            ["object"] => Ty::Object,
            _ => Ty::Any,
        };
        wrap(base, nullable)
    }

    fn finish(mut self, tools: Vec<ToolEntry>) -> Module {
        let (enums, index) = enums::resolve(&self.slots, &mut self.taken);
        for s in &mut self.structs {
            for f in &mut s.fields {
                renumber(&mut f.ty, &index);
            }
            if let Some(t) = &mut s.tool {
                renumber(&mut t.output, &index);
            }
        }
        let mut module = Module {
            name: field_ident(&self.spec.connector),
            structs: self.structs,
            enums,
            tools,
        };
        // A struct has a Default when all its fields do; iterate to a fixed point (structs may
        // refer to each other, models last).
        loop {
            let mut changed = false;
            for i in 0..module.structs.len() {
                let default = module.structs[i]
                    .fields
                    .iter()
                    .all(|f| f.ty.has_default(&module));
                if module.structs[i].default && !default {
                    module.structs[i].default = false;
                    changed = true;
                }
            }
            if !changed {
                return module;
            }
        }
    }
}

fn renumber(ty: &mut Ty, index: &[usize]) {
    match ty {
        Ty::Enum(slot) => *slot = index[*slot],
        Ty::List(inner) | Ty::Option(inner) => renumber(inner, index),
        _ => {}
    }
}

fn wrap(ty: Ty, nullable: bool) -> Ty {
    if nullable {
        Ty::Option(Box::new(ty))
    } else {
        ty
    }
}

/// The non-null type names of a schema, and whether `null` is allowed.
fn types(schema: &Value) -> (Vec<&str>, bool) {
    match schema.get("type") {
        Some(Value::String(t)) => (
            if t == "null" {
                vec![]
            } else {
                vec![t.as_str()]
            },
            t == "null",
        ),
        Some(Value::Array(ts)) => {
            let names: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
            (
                names.iter().copied().filter(|t| *t != "null").collect(),
                names.contains(&"null"),
            )
        }
        _ => (vec![], false),
    }
}

/// The tool name without the `<connector>_` prefix.
fn short_name<'t>(spec: &ConnectorSpec, tool: &'t ToolSpec) -> &'t str {
    tool.name
        .strip_prefix(&format!("{}_", spec.connector))
        .unwrap_or(&tool.name)
}

/// The tool's output schema when it is an inline object with properties (its own struct).
fn inline_output(tool: &ToolSpec) -> Option<&Value> {
    let output = tool.response.output.as_ref()?;
    let is_object = output.get("$ref").is_none()
        && output
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
    is_object.then_some(output)
}

fn description_lines(schema: &Value) -> Vec<String> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .map(|d| d.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

fn field_docs(schema: &Value) -> Vec<String> {
    let mut docs = description_lines(schema);
    let mut extra = Vec::new();
    let constraints = notes::keyword_notes(schema);
    if !constraints.is_empty() {
        extra.push(format!("Constraints: {}.", constraints.join(", ")));
    }
    if let Some(default) = notes::default_note(schema) {
        extra.push(format!("Default: `{default}`."));
    }
    if !extra.is_empty() {
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(extra.join(" "));
    }
    docs
}

fn tool_docs(tool: &ToolSpec) -> Vec<String> {
    let mut docs = vec![
        format!("{}.", tool.title.trim_end_matches('.')),
        String::new(),
    ];
    docs.extend(tool.description.lines().map(str::to_string));
    docs.push(String::new());
    docs.push(format!(
        "`{} {}` (tool `{}`).",
        tool.request.method.as_str(),
        tool.request.path,
        tool.name
    ));
    docs
}
