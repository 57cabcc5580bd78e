//! The intermediate representation between a spec and emitted Rust: named structs, closed
//! enums and tools, with every Rust name decided (and deduplicated) here, once.
//!
//! [`Module::lower`] walks each tool's input and output schema and every model; [`names`]
//! turns spec names into Rust identifiers; [`enums`] names closed string sets.

pub mod enums;
pub mod names;

mod lower;

use toolwire_spec::HttpMethod;

/// A Rust type, as used by a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// Any JSON value (`serde_json::Value`).
    Any,
    /// A free-form JSON object (`serde_json::Map<String, Value>`).
    Object,
    /// A generated struct, by Rust name.
    Struct(String),
    /// A closed enum, by index into [`Module::enums`].
    Enum(usize),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// `Option<T>`.
    Option(Box<Ty>),
}

impl Ty {
    /// True when the type has a `Default` (enums do not: no value is a sensible default).
    pub fn has_default(&self, module: &Module) -> bool {
        match self {
            Ty::Enum(_) => false,
            Ty::Struct(name) => module
                .structs
                .iter()
                .find(|s| &s.name == name)
                .is_none_or(|s| s.default),
            _ => true,
        }
    }
}

/// One struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust identifier (raw when a keyword: `r#type`).
    pub ident: String,
    /// The JSON property name.
    pub wire: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// The field's type, `Option<..>` included.
    pub ty: Ty,
}

/// A generated struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// Unknown properties are rejected (`additionalProperties: false` on an input).
    pub closed: bool,
    /// Every field has a `Default`, so the struct derives one.
    pub default: bool,
    /// Set for a tool's input struct.
    pub tool: Option<ToolImpl>,
}

/// What `impl Tool` needs.
#[derive(Debug, Clone)]
pub struct ToolImpl {
    /// The tool name (`zendesk_ticket_create`).
    pub name: String,
    /// The output type.
    pub output: Ty,
}

/// A closed string set.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// (variant identifier, wire string), in spec order.
    pub variants: Vec<(String, String)>,
}

/// A tool as listed in the module catalog.
#[derive(Debug, Clone)]
pub struct ToolEntry {
    /// The tool name.
    pub name: String,
    /// The input struct's Rust name.
    pub type_name: String,
    /// Human title.
    pub title: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// HTTP path.
    pub path: String,
}

/// Everything one connector module contains, named and in emission order.
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// Module identifier (the connector name).
    pub name: String,
    /// Structs: per tool its input, nested inputs and output; then models.
    pub structs: Vec<StructDef>,
    /// Closed enums, in order of first use.
    pub enums: Vec<EnumDef>,
    /// The tools.
    pub tools: Vec<ToolEntry>,
}
