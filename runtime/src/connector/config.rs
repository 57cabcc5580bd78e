//! Per-account config: what a customer typed, normalised by the spec's steps and checked
//! against its anchored pattern. This is the only way a value reaches a URL.

use regex::Regex;
use serde_json::{Map, Value};
use toolwire_spec::ConnectorSpec;

use crate::error::{Error, Result};

/// Normalises and validates every declared config variable; unknown keys are refused.
pub fn normalize_config(
    spec: &ConnectorSpec,
    patterns: &[(String, Regex)],
    raw: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    if let Some(unknown) = raw.keys().find(|k| !spec.config.contains_key(*k)) {
        return Err(Error::InvalidConfig {
            field: unknown.clone(),
            message: format!(
                "`{unknown}` is not a config setting of {}; known: {}",
                spec.connector,
                spec.config.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        });
    }
    let mut out = Map::new();
    for (name, var) in &spec.config {
        let Some(value) = raw.get(name) else {
            if !var.required {
                continue;
            }
            return Err(Error::InvalidConfig {
                field: name.clone(),
                message: format!("{} is required", var.title),
            });
        };
        let Some(text) = value.as_str() else {
            return Err(Error::InvalidConfig {
                field: name.clone(),
                message: format!("{} must be text", var.title),
            });
        };
        let normalized = var
            .normalize
            .iter()
            .fold(text.to_string(), |v, step| step.apply(&v));
        let pattern = &patterns
            .iter()
            .find(|(n, _)| n == name)
            .expect("compiled with the spec")
            .1;
        if !pattern.is_match(&normalized) {
            let example = var
                .example
                .as_deref()
                .map(|e| format!(" (for example `{e}`)"))
                .unwrap_or_default();
            return Err(Error::InvalidConfig {
                field: name.clone(),
                message: format!(
                    "`{}` is not a valid {}{example}. {}",
                    text.chars().take(80).collect::<String>(),
                    var.title,
                    var.description
                ),
            });
        }
        out.insert(name.clone(), Value::String(normalized));
    }
    Ok(out)
}
