//! The Markdown tool reference of a connector (`docs/connectors/<connector>.md`), rendered
//! with handlebars from [`context`]: tools with their inputs, requests, annotations,
//! pagination and outputs; auth schemes (with sunset dates); error codes; models.

mod context;

use handlebars::Handlebars;
use toolwire_spec::ConnectorSpec;

const TEMPLATE: &str = include_str!("connector.md.hbs");

/// The Markdown reference for `spec`.
pub fn markdown(spec: &ConnectorSpec) -> String {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_template_string("connector", TEMPLATE)
        .expect("the built-in docs template parses");
    let context = context::build(spec);
    hb.render("connector", &context)
        .expect("the built-in docs template renders every spec")
}
