//! YAML → a located document: the spec as JSON plus the `line:column` of every node.
//!
//! serde-saphyr parses into [`node::Node`], whose children carry spans; the tree is then
//! flattened into a `serde_json::Value` and a map from JSON pointer to location, so later passes
//! can work on plain JSON and still point at the source.

mod node;

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::pointer;
use node::{Located, Node};

/// A parsed spec file: its JSON value and where each node came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name used in diagnostics.
    pub file: String,
    /// The spec as JSON.
    pub value: Value,
    locations: HashMap<String, (u32, u32)>,
    key_locations: HashMap<String, (u32, u32)>,
    /// The source text (to place problems found inside a multi-line string).
    text: String,
}

impl Document {
    /// Parses YAML text; a syntax error or a duplicate key is a located diagnostic.
    pub fn parse(file: &str, text: &str) -> Result<Self, Diagnostics> {
        let root: Located = serde_saphyr::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((0, 0));
            let message = e.to_string();
            let first = message.lines().next().unwrap_or("invalid YAML").to_string();
            Diagnostics(vec![Diagnostic {
                file: file.to_string(),
                line,
                column,
                pointer: String::new(),
                message: format!("YAML syntax error: {first}"),
                hint: Some("check indentation and quoting near this position".into()),
            }])
        })?;
        let mut doc = Document {
            file: file.to_string(),
            value: Value::Null,
            locations: HashMap::new(),
            key_locations: HashMap::new(),
            text: text.to_string(),
        };
        let mut problems = Vec::new();
        doc.value = doc.flatten(&root, String::new(), &mut problems);
        if problems.is_empty() {
            Ok(doc)
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// Where the node at `pointer` starts; falls back to the nearest located ancestor.
    pub fn location(&self, pointer: &str) -> (u32, u32) {
        let mut p = pointer.to_string();
        loop {
            if let Some(loc) = self.locations.get(&p) {
                return *loc;
            }
            match p.rfind('/') {
                Some(i) => p.truncate(i),
                None => return (1, 1),
            }
        }
    }

    /// Where `line`:`column` (both 0-based) of the string at `pointer` is in the file: exact
    /// for a block scalar (`|` or `>`: its lines follow the indicator, at the block's
    /// indentation; the node may start at the indicator or at its first line) and for the first
    /// line of a quoted one; else the string's start.
    pub fn location_in_string(&self, pointer: &str, line: usize, column: usize) -> (u32, u32) {
        let (start_line, start_column) = self.location(pointer);
        let lines: Vec<&str> = self.text.lines().collect();
        let at = |l: u32| {
            lines
                .get((l as usize).wrapping_sub(1))
                .copied()
                .unwrap_or("")
        };
        let indicator = at(start_line)
            .get((start_column as usize).saturating_sub(1)..)
            .unwrap_or("");
        if indicator.starts_with(['|', '>']) {
            let first = at(start_line + 1);
            let indent = first.len() - first.trim_start().len();
            return (start_line + 1 + line as u32, (indent + column + 1) as u32);
        }
        let previous = at(start_line.saturating_sub(1))
            .trim_end()
            .trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
        if start_line > 1 && previous.ends_with(['|', '>']) {
            return (start_line + line as u32, start_column + column as u32);
        }
        if line == 0 && indicator.starts_with(['"', '\'']) {
            return (start_line, start_column + 1 + column as u32);
        }
        (start_line, start_column)
    }

    /// Where the key naming the node at `pointer` is (for "unknown key" problems).
    pub fn key_location(&self, pointer: &str) -> (u32, u32) {
        self.key_locations
            .get(pointer)
            .copied()
            .unwrap_or_else(|| self.location(pointer))
    }

    /// A diagnostic located at the node `pointer`.
    pub fn diagnostic(
        &self,
        pointer: &str,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) -> Diagnostic {
        let (line, column) = self.location(pointer);
        Diagnostic {
            file: self.file.clone(),
            line,
            column,
            pointer: pointer.to_string(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A diagnostic located at the key of the node `pointer`.
    pub fn key_diagnostic(
        &self,
        pointer: &str,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) -> Diagnostic {
        let mut d = self.diagnostic(pointer, message, hint);
        (d.line, d.column) = self.key_location(pointer);
        d
    }

    fn flatten(&mut self, node: &Located, at: String, problems: &mut Vec<Diagnostic>) -> Value {
        let loc = (
            node.referenced.line() as u32,
            node.referenced.column() as u32,
        );
        self.locations.insert(at.clone(), loc);
        match &node.value {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::from(*i),
            Node::UInt(u) => Value::from(*u),
            Node::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Node::String(s) => Value::String(s.clone()),
            Node::Seq(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.flatten(item, pointer::push_index(&at, i), problems))
                    .collect(),
            ),
            Node::Map(entries) => {
                let mut map = serde_json::Map::new();
                for (key, value) in entries {
                    let child = pointer::push(&at, &key.value);
                    let key_loc = (key.referenced.line() as u32, key.referenced.column() as u32);
                    if map.contains_key(&key.value) {
                        problems.push(Diagnostic {
                            file: self.file.clone(),
                            line: key_loc.0,
                            column: key_loc.1,
                            pointer: child.clone(),
                            message: format!("duplicate key `{}`", key.value),
                            hint: Some(
                                "each key may appear once in a mapping; remove or merge the copies"
                                    .into(),
                            ),
                        });
                        continue;
                    }
                    self.key_locations.insert(child.clone(), key_loc);
                    let v = self.flatten(value, child, problems);
                    map.insert(key.value.clone(), v);
                }
                Value::Object(map)
            }
        }
    }
}
