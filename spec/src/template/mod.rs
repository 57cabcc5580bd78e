//! `{{namespace.path}}` templates, parsed once when a spec loads.
//!
//! A template is literal text with variables. A template that is exactly one variable
//! (`"{{input.priority}}"`) is a *value* template: it keeps the JSON type of what it names.
//! Anything else renders to a string. A variable that is absent makes the whole template
//! absent, so optional fields simply disappear from requests.
//!
//! A variable the lookup answers with JSON `null` is an *explicit null*: a value template
//! renders it as `null` (so a body or GraphQL variable can clear a field), a text template
//! (query, path, header, `"x-{{input.a}}"`) treats it as absent. Which nulls a lookup hands over
//! is the caller's decision: the runtime passes only those of inputs whose schema names `null`
//! ([`schema_names_null`]) and that the caller sent as `null`. Arguments in OpenAI strict form,
//! where every optional field arrives as `null`, are decoded first ([`strict_args`]).

mod body;
mod null;
pub mod strict_args;

pub use body::BodyTemplate;
pub use null::{nullable_inputs, schema_names_null};
pub use strict_args::{StrictArgumentProblem, clear_fields_name, from_strict_arguments};

use std::fmt;

use serde_json::Value;

/// A reference such as `input.requester.email`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VarRef {
    /// The first segment: `config`, `credentials`, `input`, ...
    pub namespace: String,
    /// The remaining segments (at least one).
    pub path: Vec<String>,
}

impl fmt::Display for VarRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.namespace, self.path.join("."))
    }
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text copied as is.
    Literal(String),
    /// A variable to substitute.
    Var(VarRef),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

/// Why a template could not be parsed; `offset` is a byte offset into the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Byte offset of the problem in the template text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl Template {
    /// Parses `text`; `{{` opens a variable, `}}` closes it, names are `ns.a.b` identifiers.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                parts.push(Part::Literal(rest[..start].to_string()));
            }
            let after = &rest[start + 2..];
            let end = after.find("}}").ok_or_else(|| TemplateError {
                offset: offset + start,
                message: "`{{` is never closed with `}}`".into(),
            })?;
            let name = after[..end].trim();
            let var = parse_var(name).ok_or_else(|| TemplateError {
                offset: offset + start,
                message: format!(
                    "`{{{{{name}}}}}` is not a variable; write `{{{{namespace.field}}}}`, e.g. `{{{{input.ticket_id}}}}`"
                ),
            })?;
            parts.push(Part::Var(var));
            let consumed = start + 2 + end + 2;
            rest = &rest[consumed..];
            offset += consumed;
        }
        if rest.contains("}}") {
            return Err(TemplateError {
                offset: offset + rest.find("}}").unwrap_or(0),
                message: "`}}` without an opening `{{`".into(),
            });
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_string()));
        }
        Ok(Template {
            source: text.to_string(),
            parts,
        })
    }

    /// The text the template was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parts in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Every variable the template uses.
    pub fn vars(&self) -> impl Iterator<Item = &VarRef> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v),
            Part::Literal(_) => None,
        })
    }

    /// True when the template has no variables.
    pub fn is_literal(&self) -> bool {
        self.vars().next().is_none()
    }

    /// The variable, when the template is exactly one variable (a typed value template).
    pub fn as_single_var(&self) -> Option<&VarRef> {
        match self.parts.as_slice() {
            [Part::Var(v)] => Some(v),
            _ => None,
        }
    }

    /// Renders to a JSON value: a single-variable template keeps its type, an explicit null
    /// included; `None` when a variable is absent (or, in text, null).
    pub fn render_value<'v>(
        &self,
        lookup: &impl Fn(&VarRef) -> Option<&'v Value>,
    ) -> Option<Value> {
        if let Some(var) = self.as_single_var() {
            return lookup(var).cloned();
        }
        self.render_string(lookup).map(Value::String)
    }

    /// Renders to text; `None` when a variable is absent (or null).
    pub fn render_string<'v>(
        &self,
        lookup: &impl Fn(&VarRef) -> Option<&'v Value>,
    ) -> Option<String> {
        let mut out = String::with_capacity(self.source.len());
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Var(var) => {
                    let value = lookup(var).filter(|v| !v.is_null())?;
                    push_scalar(&mut out, value);
                }
            }
        }
        Some(out)
    }
}

/// Appends a value as text: strings as is, arrays comma-joined, objects as JSON.
pub fn push_scalar(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_scalar(out, item);
            }
        }
        Value::Null => {}
        other => out.push_str(&other.to_string()),
    }
}

fn parse_var(name: &str) -> Option<VarRef> {
    let mut segments = name.split('.');
    let namespace = segments.next()?;
    let path: Vec<String> = segments.map(str::to_string).collect();
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !ident(namespace) || path.is_empty() || !path.iter().all(|s| ident(s)) {
        return None;
    }
    Some(VarRef {
        namespace: namespace.to_string(),
        path,
    })
}

/// Looks `path` up in a JSON object tree.
pub fn lookup_path<'v>(root: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(root, |v, key| v.get(key))
}

#[cfg(test)]
mod tests;
