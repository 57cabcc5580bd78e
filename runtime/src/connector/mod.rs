//! Connectors prepared for execution: each spec's templates (requests and auth schemes)
//! parsed, regexes and input validators compiled once at load, so a call does no parsing.

mod auth;
mod config;
mod egress;
pub(crate) mod input;
pub(crate) mod route;
mod tool_token;

pub(crate) use auth::AuthTemplates;
pub(crate) use tool_token::bearer_from_field;
// The base-URL routing; public only for the routing tests and the overhead bench.
#[doc(hidden)]
pub use route::Route;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use toolwire_spec::template::{BodyTemplate, Template};
use toolwire_spec::{ConnectorSpec, ToolSpec};

use crate::error::{Error, Result};
use input::InputCheck;

/// A loaded, ready-to-run connector.
#[derive(Debug)]
pub struct Connector {
    /// The spec.
    pub spec: ConnectorSpec,
    /// Fingerprint of the spec source (see `toolwire_spec::fingerprint`).
    pub fingerprint: u64,
    pub(crate) route: Route,
    pub(crate) config_patterns: Vec<(String, regex::Regex)>,
    pub(crate) tools: HashMap<String, Arc<CompiledTool>>,
    pub(crate) auth: HashMap<String, AuthTemplates>,
}

/// A tool ready to run.
#[derive(Debug)]
pub struct CompiledTool {
    /// Index in `spec.tools`.
    pub index: usize,
    pub(crate) input: InputCheck,
    pub(crate) query: Vec<(String, Template)>,
    pub(crate) headers: Vec<(String, Template)>,
    pub(crate) body: Option<BodyTemplate>,
    pub(crate) steps: Vec<CompiledStep>,
    /// The body standing in for an answer with none (`response.no_content`).
    pub(crate) no_content: Option<BodyTemplate>,
}

/// Step templates of a quirk (add, remove).
#[derive(Debug)]
pub(crate) struct CompiledStep {
    pub add: Option<BodyTemplate>,
    pub remove: Option<BodyTemplate>,
}

impl Connector {
    /// Prepares a validated spec; `source` is its text (for the fingerprint).
    pub fn new(spec: ConnectorSpec, source: &str) -> Result<Self> {
        let internal =
            |what: &str, e: String| Error::Internal(format!("{} {what}: {e}", spec.connector));
        let route = Route::new(&spec.base_url)
            .map_err(|e| internal("base_url", e))?
            .with_egress(spec.egress.clone());
        let config_patterns = spec
            .config
            .iter()
            .map(|(name, var)| {
                Ok((
                    name.clone(),
                    regex::Regex::new(&var.pattern)
                        .map_err(|e| internal("pattern", e.to_string()))?,
                ))
            })
            .collect::<Result<_>>()?;
        let mut tools = HashMap::new();
        for (index, tool) in spec.tools.iter().enumerate() {
            tools.insert(
                tool.name.clone(),
                Arc::new(compile_tool(&spec, index, tool).map_err(|e| internal(&tool.name, e))?),
            );
        }
        let auth = spec
            .auth
            .iter()
            .map(|(name, scheme)| {
                Ok((
                    name.clone(),
                    AuthTemplates::new(scheme).map_err(|e| internal("auth", e))?,
                ))
            })
            .collect::<Result<_>>()?;
        Ok(Connector {
            fingerprint: toolwire_spec::fingerprint(source),
            spec,
            route,
            config_patterns,
            tools,
            auth,
        })
    }

    /// Loads and prepares a spec file.
    pub fn load_file(path: &std::path::Path) -> Result<Self> {
        let source = std::fs::read_to_string(path).map_err(|source| {
            Error::Spec(toolwire_spec::SpecError::Read {
                path: path.display().to_string(),
                source,
            })
        })?;
        let spec = toolwire_spec::load_str(&path.display().to_string(), &source)?;
        Self::new(spec, &source)
    }

    /// Whether accounts may name hosts that are IP literals, `localhost` or other local names
    /// (the operator's `allow_private_egress`; default refused).
    pub fn allow_private_egress(&mut self, allow: bool) {
        self.route.allow_private(allow);
    }

    /// A scheme's parsed templates.
    pub(crate) fn auth_templates(&self, scheme: &str) -> Result<&AuthTemplates> {
        self.auth
            .get(scheme)
            .ok_or_else(|| Error::Internal(format!("unknown auth scheme `{scheme}`")))
    }

    /// The connector name.
    pub fn name(&self) -> &str {
        &self.spec.connector
    }

    /// A tool's spec and compiled form.
    pub fn tool(&self, name: &str) -> Option<(&ToolSpec, &Arc<CompiledTool>)> {
        self.tools.get(name).map(|c| (&self.spec.tools[c.index], c))
    }

    /// Normalises and validates per-account config (`subdomain`).
    pub fn normalize_config(
        &self,
        raw: &serde_json::Map<String, Value>,
    ) -> Result<serde_json::Map<String, Value>> {
        config::normalize_config(&self.spec, &self.config_patterns, raw)
    }
}

fn compile_tool(
    spec: &ConnectorSpec,
    index: usize,
    tool: &ToolSpec,
) -> Result<CompiledTool, String> {
    let parse_map = |m: &indexmap::IndexMap<String, String>| {
        m.iter()
            .map(|(k, v)| Ok((k.clone(), Template::parse(v).map_err(|e| e.message)?)))
            .collect::<Result<Vec<_>, String>>()
    };
    let headers = parse_map(&tool.request.headers)?;
    let mut header_inputs: Vec<(String, String)> = headers
        .iter()
        .flat_map(|(name, t)| {
            t.vars()
                .filter(|v| v.namespace == "input")
                .map(move |v| (v.path[0].clone(), name.clone()))
        })
        .collect();
    if let Some(idem) = &tool.request.idempotency
        && let Some(input) = &idem.input
    {
        header_inputs.push((input.clone(), idem.header.clone()));
    }
    let input = InputCheck::new(spec.inline_models(&tool.input), &tool.input, &header_inputs)?;
    let parse_body = |b: &Option<Value>| {
        b.as_ref()
            .map(|b| BodyTemplate::parse(b).map_err(|(_, e)| e.message))
            .transpose()
    };
    let steps = tool
        .quirks
        .iter()
        .map(|q| match q {
            toolwire_spec::Quirk::CollectionDelta { add, remove, .. } => Ok(CompiledStep {
                add: parse_body(&add.body)?,
                remove: parse_body(&remove.body)?,
            }),
        })
        .collect::<Result<_, String>>()?;
    Ok(CompiledTool {
        index,
        input,
        query: parse_map(&tool.request.query)?,
        headers,
        body: match &tool.request.graphql {
            Some(graphql) => Some(graphql.body_template().map_err(|(_, e)| e.message)?),
            None => parse_body(&tool.request.body)?,
        },
        steps,
        no_content: parse_body(&tool.response.no_content)?,
    })
}

impl CompiledTool {
    /// Validates `input` (every problem named) and applies schema defaults.
    pub fn prepare_input(&self, tool: &str, input: Value) -> Result<Value> {
        self.input.prepare(tool, input)
    }
}
