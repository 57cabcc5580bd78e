//! GraphQL requests: a tool (or the verify probe) sends one document — a query or mutation —
//! with variables built from its inputs to the tool's one URL, as the JSON body
//! `{"query", "variables", "operationName"}`. This module owns the declaration, the body
//! template it becomes, and reading a document's operation and variable definitions
//! (with `apollo-parser`, so offsets of problems point into the document text).

use apollo_parser::cst::{self, CstNode};
use apollo_parser::{Parser, SyntaxKind};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::template::{BodyTemplate, TemplateError};

/// A GraphQL request declared in a spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphqlRequest {
    /// The executable document (one or more operations and their fragments), sent as `query`.
    pub document: String,
    /// The operation to run (`operationName`); required when the document has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_name: Option<String>,
    /// Variable name → value template (`"{{input.team_id}}"`, or an object of templates such
    /// as a filter); absent inputs leave the variable out, as in a JSON body.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub variables: IndexMap<String, Value>,
}

impl GraphqlRequest {
    /// The JSON body template: the document and operation name as literals (never parsed as
    /// templates), the variables as a structured template.
    pub fn body_template(&self) -> Result<BodyTemplate, (String, TemplateError)> {
        let variables = Value::Object(self.variables.clone().into_iter().collect());
        let variables =
            BodyTemplate::parse(&variables).map_err(|(at, e)| (format!("/variables{at}"), e))?;
        let mut members = vec![(
            "query".to_string(),
            BodyTemplate::Literal(Value::String(self.document.clone())),
        )];
        // No declared variables: none are sent (an operation without variables needs none).
        if !self.variables.is_empty() {
            members.push(("variables".to_string(), variables));
        }
        if let Some(name) = &self.operation_name {
            members.push((
                "operationName".to_string(),
                BodyTemplate::Literal(Value::String(name.clone())),
            ));
        }
        Ok(BodyTemplate::Object(members))
    }

    /// Reads the document's operation (the named one, or the only one).
    pub fn operation(&self) -> Result<Operation, Vec<DocumentProblem>> {
        Operation::read(&self.document, self.operation_name.as_deref())
    }
}

/// What a document's selected operation declares and uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `query`, `mutation` or `subscription`.
    pub kind: OperationKind,
    /// The operation's name, if it has one.
    pub name: Option<String>,
    /// Its variable definitions, in order.
    pub variables: Vec<VariableDefinition>,
    /// Every variable used in the document's selections and fragments (name, byte offset).
    pub used: Vec<(String, usize)>,
}

/// The kind of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// Reads.
    Query,
    /// Writes.
    Mutation,
    /// A stream (not sendable as one request).
    Subscription,
}

/// One `$name: Type = default` of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableDefinition {
    /// The name without `$`.
    pub name: String,
    /// The type as written (`[String!]`, `IssueFilter`, `ID!`).
    pub ty: String,
    /// Non-null with no default: the request must send it.
    pub required: bool,
    /// Byte offset of the definition in the document.
    pub offset: usize,
}

/// A problem in a document, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentProblem {
    /// Byte offset in the document text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Operation {
    /// Parses `document` and reads the operation named `name` (or the only operation).
    pub fn read(document: &str, name: Option<&str>) -> Result<Self, Vec<DocumentProblem>> {
        let tree = Parser::new(document).parse();
        let syntax: Vec<DocumentProblem> = tree
            .errors()
            .map(|e| DocumentProblem {
                offset: e.index(),
                message: format!("GraphQL syntax error: {}", e.message()),
                hint: "fix the document so it parses (https://spec.graphql.org/October2021/#sec-Document)".into(),
            })
            .collect();
        if !syntax.is_empty() {
            return Err(syntax);
        }
        let document_node = tree.document();
        let operations: Vec<cst::OperationDefinition> = document_node
            .definitions()
            .filter_map(|d| match d {
                cst::Definition::OperationDefinition(op) => Some(op),
                _ => None,
            })
            .collect();
        let op_name = |op: &cst::OperationDefinition| op.name().map(|n| n.text().to_string());
        let chosen = match name {
            Some(wanted) => operations
                .iter()
                .find(|op| op_name(op).as_deref() == Some(wanted)),
            None if operations.len() == 1 => operations.first(),
            None => None,
        };
        let Some(op) = chosen else {
            let names: Vec<String> = operations.iter().filter_map(op_name).collect();
            let message = match (name, operations.len()) {
                (_, 0) => "the document has no operation".to_string(),
                (Some(wanted), _) => format!(
                    "the document has no operation named `{wanted}`; it has: {}",
                    names.join(", ")
                ),
                (None, _) => format!(
                    "the document has {} operations; say which one to run",
                    operations.len()
                ),
            };
            return Err(vec![DocumentProblem {
                offset: 0,
                message,
                hint: "set `operation_name` to one of the document's operation names".into(),
            }]);
        };
        let kind = match op.operation_type() {
            Some(t) if t.mutation_token().is_some() => OperationKind::Mutation,
            Some(t) if t.subscription_token().is_some() => OperationKind::Subscription,
            _ => OperationKind::Query,
        };
        let variables = op
            .variable_definitions()
            .map(|defs| {
                defs.variable_definitions()
                    .filter_map(|d| {
                        let name = d.variable()?.name()?.text().to_string();
                        let ty = d.ty()?;
                        let ty_text = ty.syntax().text().to_string();
                        Some(VariableDefinition {
                            required: matches!(ty, cst::Type::NonNullType(_))
                                && d.default_value().is_none(),
                            name,
                            ty: ty_text.trim().to_string(),
                            offset: usize::from(d.syntax().text_range().start()),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Variables are used in the operation's selections and in the fragments it spreads;
        // every fragment of the document is counted (a document holds the fragments it needs).
        let used = document_node
            .syntax()
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::VARIABLE)
            .filter(|n| {
                n.parent()
                    .is_none_or(|p| p.kind() != SyntaxKind::VARIABLE_DEFINITION)
            })
            .filter(|n| {
                // Only the chosen operation's own uses, plus fragments (shared by all).
                n.ancestors()
                    .any(|a| a == *op.syntax() || a.kind() == SyntaxKind::FRAGMENT_DEFINITION)
            })
            .filter_map(cst::Variable::cast)
            .filter_map(|v| {
                let offset = usize::from(v.syntax().text_range().start());
                Some((v.name()?.text().to_string(), offset))
            })
            .collect();
        Ok(Operation {
            kind,
            name: op_name(op),
            variables,
            used,
        })
    }

    /// The definition of variable `name`.
    pub fn variable(&self, name: &str) -> Option<&VariableDefinition> {
        self.variables.iter().find(|v| v.name == name)
    }
}

/// Relay connection paging (`first`/`after`): the next cursor is `endCursor` and more pages
/// exist while `hasNextPage` is true, both read from the connection's `pageInfo` object.
pub fn relay_page(body: &Value, page_info: &str) -> (Option<String>, bool) {
    let info = body.pointer(page_info);
    let more = info
        .and_then(|i| i.get("hasNextPage"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let cursor = info
        .and_then(|i| i.get("endCursor"))
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty() && more)
        .map(str::to_string);
    (cursor.clone(), cursor.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(document: &str, name: Option<&str>) -> GraphqlRequest {
        GraphqlRequest {
            document: document.into(),
            operation_name: name.map(str::to_string),
            variables: IndexMap::new(),
        }
    }

    #[test]
    fn reads_the_operation_its_variables_and_their_uses() {
        let doc = "query issues($first: Int, $after: String, $filter: IssueFilter!, $n: Int! = 5) {\n  issues(first: $first, after: $after, filter: $filter) { ...F }\n}\nfragment F on IssueConnection { nodes { id } x(n: $n) }";
        let op = request(doc, None).operation().unwrap();
        assert_eq!(op.kind, OperationKind::Query);
        assert_eq!(op.name.as_deref(), Some("issues"));
        let names: Vec<_> = op
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.ty.as_str(), v.required))
            .collect();
        assert_eq!(
            names,
            vec![
                ("first", "Int", false),
                ("after", "String", false),
                ("filter", "IssueFilter!", true),
                ("n", "Int!", false)
            ]
        );
        let used: Vec<_> = op.used.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(used, vec!["first", "after", "filter", "n"]);
        assert_eq!(&doc[op.used[0].1..op.used[0].1 + 6], "$first");
    }

    #[test]
    fn a_syntax_error_has_its_offset() {
        let problems = request("query { viewer { id }", None)
            .operation()
            .unwrap_err();
        assert!(
            problems[0].message.starts_with("GraphQL syntax error"),
            "{problems:?}"
        );
        assert!(problems[0].offset > 0);
    }

    #[test]
    fn several_operations_need_a_name() {
        let doc = "query a { x } mutation b { y }";
        assert!(request(doc, None).operation().is_err());
        let op = request(doc, Some("b")).operation().unwrap();
        assert_eq!(op.kind, OperationKind::Mutation);
        let err = request(doc, Some("c")).operation().unwrap_err();
        assert!(err[0].message.contains("a, b"), "{err:?}");
    }

    #[test]
    fn the_body_keeps_the_document_literal_and_drops_absent_variables() {
        let mut r = request(
            "query q($id: String!) { issue(id: $id) { id } } # }} {{",
            Some("q"),
        );
        r.variables.insert("id".into(), json!("{{input.id}}"));
        r.variables.insert(
            "filter".into(),
            json!({"team": {"id": {"eq": "{{input.team}}"}}}),
        );
        let t = r.body_template().unwrap();
        let input = json!({"id": "ISS-1"});
        let body = t
            .render(&|v: &crate::template::VarRef| input.get(&v.path[0]))
            .unwrap();
        assert_eq!(
            body,
            json!({"query": r.document, "variables": {"id": "ISS-1"}, "operationName": "q"})
        );
    }

    #[test]
    fn relay_paging_stops_on_has_next_page_false() {
        let body =
            json!({"data": {"issues": {"pageInfo": {"hasNextPage": true, "endCursor": "c2"}}}});
        assert_eq!(
            relay_page(&body, "/data/issues/pageInfo"),
            (Some("c2".into()), true)
        );
        let last =
            json!({"data": {"issues": {"pageInfo": {"hasNextPage": false, "endCursor": "c3"}}}});
        assert_eq!(relay_page(&last, "/data/issues/pageInfo"), (None, false));
        assert_eq!(
            relay_page(&json!({}), "/data/issues/pageInfo"),
            (None, false)
        );
    }
}
