//! Output projections: the declarative reshaping that sizes a tool's output for a model.
//!
//! A projection (`response.project`) runs after `select`, on the selected output. Each record
//! projection points (`at`) at one record or an array of records in the output and keeps only
//! the listed fields (`keep`), renames some (`rename: {new: old}`) and resolves ids to names
//! through sideloaded arrays elsewhere in the output (`resolve: {assignee: {id: assignee_id,
//! from: /users, name: name}}`); an id with no matching sideloaded record stays the id. Then
//! `drop` removes top-level output keys (typically the sideloads once resolved). This module
//! owns the model; `apply` applies it to a value (once per call, so it is kept cheap), `schema`
//! derives the projected output schema and checks every pointer and field against the tool's
//! output schema.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A tool's output projection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Projection {
    /// The records to reshape.
    #[serde(default)]
    pub records: Vec<RecordProjection>,
    /// Top-level output keys removed after the records are reshaped.
    #[serde(default)]
    pub drop: Vec<String>,
}

/// How one record (or each record of an array) is reshaped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordProjection {
    /// JSON pointer into the selected output: one record, or an array of records (`""`: the
    /// output itself).
    #[serde(default)]
    pub at: String,
    /// Fields kept under their own names, in this order.
    #[serde(default)]
    pub keep: Vec<String>,
    /// New name → the record's field.
    #[serde(default)]
    pub rename: IndexMap<String, String>,
    /// New name → an id field resolved to a name through a sideloaded array.
    #[serde(default)]
    pub resolve: IndexMap<String, Resolve>,
    /// Names the projected record's schema as a model (`TicketSummary`), so generated code
    /// has one type for it; tools naming the same model must project the same shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// An id resolved to a name through sideloaded records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolve {
    /// The record's id field (`assignee_id`).
    pub id: String,
    /// JSON pointer into the selected output to the sideloaded array (`/users`).
    pub from: String,
    /// The sideloaded record's field holding the name.
    #[serde(default = "default_name")]
    pub name: String,
}

fn default_name() -> String {
    "name".into()
}

/// A problem with a projection: where (relative to `response/project`), what, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectionProblem {
    /// JSON pointer relative to the projection (`/records/0/keep/2`).
    pub at: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

mod apply;
mod schema;

#[cfg(test)]
mod tests;
