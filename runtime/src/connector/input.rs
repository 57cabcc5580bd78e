//! Tool input checking before any I/O ([`InputCheck`], compiled once per tool when the
//! connector loads): every bad field named with what was expected; then the schema's top-level
//! defaults filled in, and a top-level `null` kept only for an input whose schema names `null`
//! (`toolwire_spec::template::schema_names_null`: sent as `null` in a body or GraphQL variable,
//! to clear a field); any other valid `null` is dropped, so it stays absent as it always was.
//!
//! Beyond JSON Schema, two checks ride on the same validator as custom keywords that
//! [`runtime_schema`] adds to the runtime's copy of each input schema (never to the spec, nor
//! to the schemas agents see):
//! - an `integer` is a whole number as written (`1.0`, `1e300` and `2^64`, which JSON Schema
//!   counts as integers, are refused) within i64, or u64 when the schema's minimum is not
//!   negative, so it renders as digits;
//! - an input that is sent in a header (the idempotency key, header templates) is a valid
//!   header value: no line break, NUL or other control character.
//!
//! Arguments in OpenAI strict form (every optional field sent, `null` when unset) are decoded
//! into an ordinary input first ([`from_openai_strict`], by
//! `toolwire_spec::template::from_strict_arguments`): there a `null` is absent and `clear_fields`
//! lists the inputs to set to `null`. In the ordinary form a `null` on an input whose schema does
//! not name `null` stays refused.

use jsonschema::{Keyword, ValidationError, paths::Location};
use serde_json::{Map, Value};

use crate::error::{Error, FieldProblem, Result};

/// The custom keyword marking integer-only schemas.
const INTEGER: &str = "x-toolwire-integer";
/// The custom keyword marking inputs sent in a header (its value names the header).
const HEADER: &str = "x-toolwire-header";

/// Keys whose values are data, not schemas: never rewritten.
const DATA_KEYWORDS: &[&str] = &["enum", "const", "default", "examples"];

/// A tool's input validator and the defaults it fills in.
#[derive(Debug)]
pub(crate) struct InputCheck {
    validator: jsonschema::Validator,
    defaults: Vec<(String, Value)>,
    /// The top-level inputs whose schema names `null`.
    nullable: Vec<String>,
}

impl InputCheck {
    /// Compiles the check of a tool's input: `inlined` is its schema with models inlined,
    /// `declared` the schema as the spec wrote it (for defaults), `headers` the inputs sent in a
    /// header (input name, header name).
    pub(super) fn new(
        inlined: Value,
        declared: &Value,
        headers: &[(String, String)],
    ) -> std::result::Result<Self, String> {
        // As the spec check reads them: the declared schema, `$ref`s not followed.
        let nullable = toolwire_spec::template::nullable_inputs(declared)
            .into_iter()
            .map(str::to_string)
            .collect();
        let schema = runtime_schema(inlined, headers);
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .with_keyword(INTEGER, whole_number)
            .with_keyword(HEADER, header_value)
            .build(&schema)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            validator,
            defaults: top_level_defaults(declared),
            nullable,
        })
    }

    /// Validates `input` of tool `name` (every problem named) and applies schema defaults.
    pub(crate) fn prepare(&self, name: &str, input: Value) -> Result<Value> {
        prepare(self, name, input)
    }
}

/// Decodes strict-form `args` of tool `name` (declared input schema `declared`) into an
/// ordinary input; a problem with the clear list is INVALID_INPUT naming the input.
pub(crate) fn from_openai_strict(name: &str, declared: &Value, args: Value) -> Result<Value> {
    toolwire_spec::template::from_strict_arguments(declared, args).map_err(|problems| {
        Error::InvalidInput {
            tool: name.to_string(),
            problems: problems
                .into_iter()
                .map(|p| FieldProblem {
                    field: p.field,
                    message: p.message,
                })
                .collect(),
        }
    })
}

fn top_level_defaults(schema: &Value) -> Vec<(String, Value)> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .filter_map(|(k, p)| p.get("default").map(|d| (k.clone(), d.clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// The schema the runtime validates with: `schema` (models already inlined) with [`INTEGER`]
/// on every integer-only schema and [`HEADER`] on each top-level property sent in a header
/// (`headers`: input name, header name).
fn runtime_schema(mut schema: Value, headers: &[(String, String)]) -> Value {
    mark_integers(&mut schema);
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (input, header) in headers {
            if let Some(Value::Object(prop)) = props.get_mut(input) {
                prop.insert(HEADER.into(), Value::String(header.clone()));
            }
        }
    }
    schema
}

fn mark_integers(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let integer_only = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(types)) => {
                    types.iter().any(|t| t == "integer") && !types.iter().any(|t| t == "number")
                }
                _ => false,
            };
            for (key, sub) in map.iter_mut() {
                if !DATA_KEYWORDS.contains(&key.as_str()) {
                    mark_integers(sub);
                }
            }
            if integer_only {
                map.insert(INTEGER.into(), Value::Bool(true));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mark_integers),
        _ => {}
    }
}

/// An integer as written, in the range its schema allows.
struct WholeNumber {
    unsigned: bool,
    min: Option<f64>,
    max: Option<f64>,
}

impl WholeNumber {
    fn ok(&self, instance: &Value) -> bool {
        match instance {
            Value::Number(n) => n.is_i64() || (self.unsigned && n.is_u64()),
            _ => true,
        }
    }

    fn range(&self) -> String {
        let (lo, hi) = if self.unsigned {
            (0.0, u64::MAX as f64)
        } else {
            (i64::MIN as f64, i64::MAX as f64)
        };
        let lo = self.min.map_or(lo, |m| m.max(lo));
        let hi = self.max.map_or(hi, |m| m.min(hi));
        let show = |v: f64| {
            if v == u64::MAX as f64 {
                u64::MAX.to_string()
            } else if v == i64::MAX as f64 {
                i64::MAX.to_string()
            } else if v == i64::MIN as f64 {
                i64::MIN.to_string()
            } else {
                format!("{}", v.trunc() as i128)
            }
        };
        format!("{} to {}", show(lo.ceil()), show(hi.floor()))
    }
}

impl<'i> Keyword<'i> for WholeNumber {
    fn validate(&self, instance: &'i Value) -> std::result::Result<(), ValidationError<'i>> {
        if self.ok(instance) {
            return Ok(());
        }
        Err(ValidationError::custom(format!(
            "{instance} is not an integer this tool takes: write a whole number from {}, without a decimal point or exponent",
            self.range()
        )))
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.ok(instance)
    }
}

fn whole_number<'a>(
    parent: &'a Map<String, Value>,
    _value: &'a Value,
    _path: Location,
) -> std::result::Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    let min = parent.get("minimum").and_then(Value::as_f64).or_else(|| {
        parent
            .get("exclusiveMinimum")
            .and_then(Value::as_f64)
            .map(|m| m.floor() + 1.0)
    });
    let max = parent.get("maximum").and_then(Value::as_f64).or_else(|| {
        parent
            .get("exclusiveMaximum")
            .and_then(Value::as_f64)
            .map(|m| m.ceil() - 1.0)
    });
    Ok(Box::new(WholeNumber {
        unsigned: min.is_some_and(|m| m >= 0.0),
        min,
        max,
    }))
}

/// Text that can travel in an HTTP header: every string in the value (arrays and objects are
/// rendered from their strings) without control characters other than tab.
struct HeaderSafe {
    header: String,
}

fn header_safe(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.chars().any(|c| c.is_control() && c != '\t'),
        Value::Array(items) => items.iter().all(header_safe),
        Value::Object(map) => map.values().all(header_safe),
        _ => true,
    }
}

impl<'i> Keyword<'i> for HeaderSafe {
    fn validate(&self, instance: &'i Value) -> std::result::Result<(), ValidationError<'i>> {
        if header_safe(instance) {
            return Ok(());
        }
        Err(ValidationError::custom(format!(
            "contains a line break, NUL or other control character, which cannot be sent in the {} header; use printable characters only",
            self.header
        )))
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        header_safe(instance)
    }
}

fn header_value<'a>(
    _parent: &'a Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> std::result::Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    Ok(Box::new(HeaderSafe {
        header: value.as_str().unwrap_or("HTTP").to_string(),
    }))
}

fn prepare(tool: &InputCheck, name: &str, input: Value) -> Result<Value> {
    let mut input = match input {
        Value::Null => Value::Object(Default::default()),
        other => other,
    };
    let problems: Vec<FieldProblem> = tool
        .validator
        .iter_errors(&input)
        .map(|e| {
            let path = e
                .instance_path()
                .as_str()
                .trim_start_matches('/')
                .replace('/', ".");
            let message = match e.kind() {
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    format!(
                        "unknown field(s) {}",
                        unexpected
                            .iter()
                            .map(|u| format!("`{u}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
                _ => e.to_string(),
            };
            FieldProblem {
                field: path,
                message,
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(Error::InvalidInput {
            tool: name.to_string(),
            problems,
        });
    }
    if let Value::Object(map) = &mut input {
        for (k, v) in &tool.defaults {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        // After the defaults, as before: a dropped null does not bring a default back.
        map.retain(|k, v| !v.is_null() || tool.nullable.contains(k));
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn integers_are_marked_but_data_is_left_alone() {
        let schema = json!({
            "type": "object",
            "properties": {
                "a": {"type": "integer", "enum": [{"type": "integer"}]},
                "b": {"type": ["integer", "null"]},
                "c": {"type": ["integer", "number"]},
                "d": {"type": "array", "items": {"type": "integer"}},
                "e": {"type": "string"}
            },
            "$defs": {"M": {"type": "integer"}}
        });
        let out = runtime_schema(schema, &[("e".into(), "X-Key".into())]);
        assert_eq!(
            out.pointer("/properties/a/x-toolwire-integer"),
            Some(&json!(true))
        );
        assert_eq!(
            out.pointer("/properties/a/enum/0"),
            Some(&json!({"type": "integer"}))
        );
        assert_eq!(
            out.pointer("/properties/b/x-toolwire-integer"),
            Some(&json!(true))
        );
        assert_eq!(out.pointer("/properties/c/x-toolwire-integer"), None);
        assert_eq!(
            out.pointer("/properties/d/items/x-toolwire-integer"),
            Some(&json!(true))
        );
        assert_eq!(
            out.pointer("/$defs/M/x-toolwire-integer"),
            Some(&json!(true))
        );
        assert_eq!(
            out.pointer("/properties/e/x-toolwire-header"),
            Some(&json!("X-Key"))
        );
    }

    #[test]
    fn a_null_is_kept_only_for_an_input_whose_schema_names_null() {
        let schema = json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "assignee": {"type": ["string", "null"]},
                "anything": {"description": "no type"},
                "title": {"type": "string", "default": "untitled"}
            }
        });
        let check = InputCheck::new(schema.clone(), &schema, &[]).unwrap();
        let out = check
            .prepare("t", json!({"assignee": null, "anything": null}))
            .unwrap();
        assert_eq!(out, json!({"assignee": null, "title": "untitled"}));
        let refused = check.prepare("t", json!({"title": null})).unwrap_err();
        assert!(
            matches!(&refused, Error::InvalidInput { problems, .. } if problems[0].field == "title"),
            "{refused:?}"
        );
    }

    #[test]
    fn strict_arguments_become_an_ordinary_input_or_invalid_input() {
        let schema = json!({"type": "object", "properties": {
            "title": {"type": "string"},
            "assignee": {"type": ["string", "null"]}
        }});
        let args = json!({"title": "T", "assignee": null, "clear_fields": null});
        let input = from_openai_strict("t", &schema, args).unwrap();
        assert_eq!(input, json!({"title": "T"}));
        let check = InputCheck::new(schema.clone(), &schema, &[]).unwrap();
        let cleared = from_openai_strict("t", &schema, json!({"clear_fields": ["assignee"]}));
        assert_eq!(
            check.prepare("t", cleared.unwrap()).unwrap(),
            json!({"assignee": null})
        );
        let refused = from_openai_strict("t", &schema, json!({"clear_fields": ["title"]}));
        assert!(
            matches!(&refused, Err(Error::InvalidInput { problems, .. })
                if problems[0].field == "clear_fields" && problems[0].message.contains("`title`")),
            "{refused:?}"
        );
    }

    #[test]
    fn the_range_follows_the_schema() {
        let n = |min: Option<f64>, max: Option<f64>| WholeNumber {
            unsigned: min.is_some_and(|m| m >= 0.0),
            min,
            max,
        };
        assert_eq!(n(Some(1.0), Some(1000.0)).range(), "1 to 1000");
        assert_eq!(n(Some(1.0), None).range(), "1 to 18446744073709551615");
        assert_eq!(
            n(None, None).range(),
            "-9223372036854775808 to 9223372036854775807"
        );
        assert!(n(Some(0.0), None).ok(&json!(u64::MAX)));
        assert!(!n(None, None).ok(&json!(u64::MAX)));
        assert!(!n(Some(1.0), None).ok(&json!(1.0)));
        assert!(
            n(None, None).ok(&json!("text")),
            "types are JSON Schema's job"
        );
    }

    #[test]
    fn header_values_refuse_control_characters() {
        assert!(header_safe(&json!("abc-123 é\t")));
        for bad in ["a\r\nb", "a\nb", "a\u{0}b", "a\u{7f}", "a\u{1b}[0m"] {
            assert!(!header_safe(&json!(bad)), "{bad:?}");
        }
        assert!(!header_safe(&json!(["ok", "no\n"])));
    }
}
