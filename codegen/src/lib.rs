//! Generates everything a connector spec implies, from one [`Generator`]:
//!
//! - typed Rust (input/output structs, closed enums, `impl Tool`) for the `connector!` macro
//!   and for build scripts ([`build::generate`]);
//! - tool JSON Schemas for MCP, OpenAI (strict) and Anthropic ([`Generator::tool_schemas`]);
//! - a Markdown tool reference ([`Generator::docs_markdown`]).
//!
//! The pipeline is spec → [`ir`] (types named and deduplicated) → emitters ([`rust`],
//! [`schemas`], [`docs`]). Output is deterministic: the same spec always gives the same bytes.
//!
//! ```no_run
//! use toolwire_codegen::{Generator, SchemaFormat};
//! let generator = Generator::from_file("connectors/zendesk.yaml")?;
//! let rust = generator.rust_source()?;
//! let tools = generator.tool_schemas(SchemaFormat::OpenAi);
//! let docs = generator.docs_markdown();
//! # Ok::<(), toolwire_codegen::CodegenError>(())
//! ```

pub mod build;
pub mod docs;
pub mod ir;
pub mod rust;
pub mod schemas;

mod error;
mod generator;

pub use error::CodegenError;
pub use generator::Generator;
pub use schemas::SchemaFormat;
