//! Structured JSON body templates: value types are kept (an explicit null included, which is
//! how a body clears a field) and absent optionals dropped.

use serde_json::{Map, Value};

use super::{Template, TemplateError, VarRef};
use crate::pointer;

/// A JSON template: objects and arrays of templates and literals.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyTemplate {
    /// A non-string literal (number, bool, null).
    Literal(Value),
    /// A string, possibly with variables.
    Template(Template),
    /// An array; absent elements are dropped.
    Array(Vec<BodyTemplate>),
    /// An object; absent members are dropped (explicit nulls kept), and an object left empty
    /// by drops is absent.
    Object(Vec<(String, BodyTemplate)>),
}

impl BodyTemplate {
    /// Parses every string in `value` as a template; errors carry the JSON pointer (relative
    /// to `value`) of the string at fault.
    pub fn parse(value: &Value) -> Result<Self, (String, TemplateError)> {
        Self::parse_at(value, "")
    }

    fn parse_at(value: &Value, at: &str) -> Result<Self, (String, TemplateError)> {
        Ok(match value {
            Value::String(s) => {
                BodyTemplate::Template(Template::parse(s).map_err(|e| (at.to_string(), e))?)
            }
            Value::Array(items) => BodyTemplate::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Self::parse_at(v, &pointer::push_index(at, i)))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => BodyTemplate::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), Self::parse_at(v, &pointer::push(at, k))?)))
                    .collect::<Result<_, _>>()?,
            ),
            other => BodyTemplate::Literal(other.clone()),
        })
    }

    /// Every variable used, with the relative pointer of the string it is in.
    pub fn vars(&self) -> Vec<(String, &VarRef)> {
        let mut out = Vec::new();
        self.collect_vars("", &mut out);
        out
    }

    fn collect_vars<'a>(&'a self, at: &str, out: &mut Vec<(String, &'a VarRef)>) {
        match self {
            BodyTemplate::Literal(_) => {}
            BodyTemplate::Template(t) => out.extend(t.vars().map(|v| (at.to_string(), v))),
            BodyTemplate::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.collect_vars(&pointer::push_index(at, i), out);
                }
            }
            BodyTemplate::Object(members) => {
                for (k, v) in members {
                    v.collect_vars(&pointer::push(at, k), out);
                }
            }
        }
    }

    /// True when nothing in the template depends on a variable.
    pub fn is_constant(&self) -> bool {
        self.vars().is_empty()
    }

    /// Renders the template; `None` when it is absent as a whole.
    pub fn render<'v>(&self, lookup: &impl Fn(&VarRef) -> Option<&'v Value>) -> Option<Value> {
        match self {
            BodyTemplate::Literal(v) => Some(v.clone()),
            BodyTemplate::Template(t) => t.render_value(lookup),
            BodyTemplate::Array(items) => Some(Value::Array(
                items.iter().filter_map(|i| i.render(lookup)).collect(),
            )),
            BodyTemplate::Object(members) => {
                let mut map = Map::new();
                let mut had_vars = false;
                for (key, template) in members {
                    had_vars |= !template.is_constant();
                    if let Some(v) = template.render(lookup) {
                        map.insert(key.clone(), v);
                    }
                }
                if map.is_empty() && had_vars {
                    None
                } else {
                    Some(Value::Object(map))
                }
            }
        }
    }
}
