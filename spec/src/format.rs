//! The spec format's JSON Schema (draft 2020-12), as shipped in `connectors/` for editors; the
//! loader's shape pass checks every document against it.

/// The JSON Schema of the spec format (`connectors/connector.schema.json`).
pub const CONNECTOR_SCHEMA: &str = include_str!("../../connectors/connector.schema.json");
