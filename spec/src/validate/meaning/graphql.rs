//! Meaning checks of GraphQL requests (a tool's `request.graphql`, the verify probe's
//! `verify.graphql`) and Relay paging: the document parses (problems placed at their line and
//! column inside the document), the operation to run exists and can be sent as one request,
//! every variable the document uses is declared, every declared variable the request must send
//! is mapped, every mapped variable exists, and an input mapped as a whole onto a variable of a
//! built-in scalar type has a matching JSON type. Checking fields against the vendor's schema
//! is a connector test's job (the schema is not part of a spec).

use serde_json::Value;

use super::{Checker, Scope};
use crate::model::*;
use crate::template::{Part, Template};

impl Checker<'_> {
    /// Checks a tool's GraphQL request (when it has one) and its Relay paging.
    pub(super) fn tool_graphql(&mut self, at: &str, tool: &ToolSpec, scope: &Scope) {
        let request = &tool.request;
        if let Some(graphql) = &request.graphql {
            let gat = format!("{at}/request/graphql");
            if request.body.is_some() {
                self.err(
                    &format!("{at}/request/body"),
                    "a tool declares either `body` or `graphql`, not both",
                    "the GraphQL request body is built from `graphql`; remove `body`",
                );
            }
            if request.method != HttpMethod::Post || !request.body_encoding.is_json() {
                self.err(
                    &format!("{at}/request/method"),
                    "a GraphQL request is sent as POST with a JSON body",
                    "write `method: POST` (and no `body_encoding`)",
                );
            }
            self.body(
                &format!("{gat}/variables"),
                &variables_value(graphql),
                scope,
            );
            // Whether a mutation may claim read_only is checked with the other annotations.
            if let Some(operation) = self.document(&gat, graphql) {
                self.variable_types(&gat, tool, graphql, &operation);
            }
        }
        if let Pagination::Relay {
            cursor_input,
            page_info,
        } = &tool.pagination
        {
            self.input_named(&format!("{at}/pagination/cursor_input"), tool, cursor_input);
            self.pointer(&format!("{at}/pagination/page_info"), page_info);
            let mapped = request.graphql.as_ref().is_some_and(|g| {
                g.variables
                    .values()
                    .any(|v| whole_input(v).as_deref() == Some(cursor_input.as_str()))
            });
            if !mapped {
                self.err(
                    &format!("{at}/pagination/cursor_input"),
                    format!(
                        "Relay paging passes the cursor back as input `{cursor_input}`, but no GraphQL variable is `{{{{input.{cursor_input}}}}}`"
                    ),
                    "map the document's `after` variable to the cursor input: `after: \"{{input.after}}\"`",
                );
            }
        }
    }

    /// Checks the verify probe's GraphQL request (when it has one).
    pub(super) fn verify_graphql(&mut self) {
        let Some(graphql) = &self.spec.verify.graphql else {
            return;
        };
        if self.spec.verify.method != HttpMethod::Post {
            self.err(
                "/verify/method",
                "a GraphQL probe is sent as POST with a JSON body",
                "write `method: POST`",
            );
        }
        if !graphql.variables.is_empty() {
            self.err(
                "/verify/graphql/variables",
                "the verify probe has no inputs to build variables from",
                "write the values into the document, or remove `variables`",
            );
        }
        if let Some(operation) = self.document("/verify/graphql", graphql)
            && operation.kind != OperationKind::Query
        {
            self.err(
                "/verify/graphql/document",
                "the verify probe must be a query (it runs on every new credential)",
                "probe with a query such as `query { viewer { id } }`",
            );
        }
    }

    /// Parses the document and checks its variables; `None` when it does not parse.
    fn document(&mut self, at: &str, graphql: &GraphqlRequest) -> Option<Operation> {
        let doc_at = format!("{at}/document");
        let operation = match graphql.operation() {
            Ok(op) => op,
            Err(problems) => {
                for p in problems {
                    self.err_in_document(&doc_at, &graphql.document, p.offset, p.message, p.hint);
                }
                return None;
            }
        };
        if operation.kind == OperationKind::Subscription {
            self.err(
                &doc_at,
                "a subscription cannot be sent as one request",
                "use a query or a mutation",
            );
        }
        let declared: Vec<&str> = operation
            .variables
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        for (name, offset) in &operation.used {
            if !declared.contains(&name.as_str()) {
                self.err_in_document(
                    &doc_at,
                    &graphql.document,
                    *offset,
                    format!("variable `${name}` is used but not declared by the operation"),
                    format!(
                        "declare it in the operation's variables, e.g. `query op(${name}: String)`"
                    ),
                );
            }
        }
        for name in graphql.variables.keys() {
            if !declared.contains(&name.as_str()) {
                let close = declared
                    .iter()
                    .find(|d| strsim::jaro_winkler(d, name) > 0.85)
                    .map(|d| format!("did you mean `{d}`? "))
                    .unwrap_or_default();
                let key = crate::pointer::push(&format!("{at}/variables"), name);
                let hint = format!(
                    "{close}the operation declares: {}",
                    if declared.is_empty() {
                        "none".to_string()
                    } else {
                        declared.join(", ")
                    }
                );
                let d = self.doc.key_diagnostic(
                    &key,
                    format!("`{name}` is not a variable of the operation"),
                    Some(hint),
                );
                self.out.push(d);
            }
        }
        for variable in operation.variables.iter().filter(|v| v.required) {
            if !graphql.variables.contains_key(&variable.name) {
                self.err_in_document(
                    &doc_at,
                    &graphql.document,
                    variable.offset,
                    format!(
                        "variable `${}: {}` is required but `variables` does not set it",
                        variable.name, variable.ty
                    ),
                    format!(
                        "set `{}` under `variables`, from required inputs (e.g. `{}: \"{{{{input.some_input}}}}\"`)",
                        variable.name, variable.name
                    ),
                );
            }
        }
        Some(operation)
    }

    /// An input mapped as a whole onto a variable of a built-in scalar or list type must have a
    /// matching JSON type, and a required variable must come from a required input.
    fn variable_types(
        &mut self,
        at: &str,
        tool: &ToolSpec,
        graphql: &GraphqlRequest,
        op: &Operation,
    ) {
        let required_inputs = tool.required_inputs();
        for (name, value) in &graphql.variables {
            let (Some(input), Some(variable)) = (whole_input(value), op.variable(name)) else {
                continue;
            };
            let vat = crate::pointer::push(&format!("{at}/variables"), name);
            if variable.required && !required_inputs.contains(&input.as_str()) {
                self.err(
                    &vat,
                    format!(
                        "variable `${name}: {}` is required, but input `{input}` is optional",
                        variable.ty
                    ),
                    format!("add `{input}` to the tool's `input.required`, or make the variable nullable"),
                );
            }
            let schema_type = tool
                .input
                .pointer(&format!("/properties/{input}/type"))
                .and_then(Value::as_str);
            let (Some(expected), Some(actual)) = (json_type_of(&variable.ty), schema_type) else {
                continue;
            };
            let fits = expected == actual || (expected == "number" && actual == "integer");
            if !fits {
                self.err(
                    &vat,
                    format!(
                        "input `{input}` is a JSON {actual}, but variable `${name}` is `{}` (a JSON {expected})",
                        variable.ty
                    ),
                    format!("give input `{input}` `type: {expected}`, or map it onto a variable of its type"),
                );
            }
        }
    }

    /// A problem at `offset` of the document at `doc_at`, placed at its line and column.
    fn err_in_document(
        &mut self,
        doc_at: &str,
        document: &str,
        offset: usize,
        message: String,
        hint: impl Into<String>,
    ) {
        let before = &document[..offset.min(document.len())];
        let line = before.matches('\n').count();
        let column = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let (l, c) = self.doc.location_in_string(doc_at, line, column);
        let mut d = self.doc.diagnostic(doc_at, message, Some(hint.into()));
        (d.line, d.column) = (l, c);
        self.out.push(d);
    }
}

/// The variables as one JSON object (for the template checks).
fn variables_value(graphql: &GraphqlRequest) -> Value {
    Value::Object(graphql.variables.clone().into_iter().collect())
}

/// The input a variable value is exactly (`"{{input.team_id}}"`), if it is one.
fn whole_input(value: &Value) -> Option<String> {
    let template = Template::parse(value.as_str()?).ok()?;
    match template.parts() {
        [Part::Var(v)] if v.namespace == "input" && v.path.len() == 1 => Some(v.path[0].clone()),
        _ => None,
    }
}

/// The JSON type a value of a GraphQL built-in scalar or list type has (`None`: an enum or
/// input object, which only the vendor's schema can tell apart).
fn json_type_of(ty: &str) -> Option<&'static str> {
    let ty = ty.trim().trim_end_matches('!');
    if ty.starts_with('[') {
        return Some("array");
    }
    match ty {
        "Int" => Some("integer"),
        "Float" => Some("number"),
        "String" | "ID" => Some("string"),
        "Boolean" => Some("boolean"),
        _ => None,
    }
}
