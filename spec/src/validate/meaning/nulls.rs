//! Explicit nulls (`template::schema_names_null`): an input whose schema names `null` is sent
//! as `null` in a body or GraphQL variable to clear a field, but a path, query or header value
//! is text and cannot carry one, so such an input is refused there.

use super::Checker;
use crate::template::{Template, nullable_inputs};

impl Checker<'_> {
    /// Every nullable input used in a path, query or header value.
    pub(super) fn nulls(&mut self) {
        for (i, tool) in self.spec.tools.iter().enumerate() {
            let at = format!("/tools/{}/request", self.tool_index[i]);
            let nullable = nullable_inputs(&tool.input);
            if nullable.is_empty() {
                continue;
            }
            let r = &tool.request;
            for name in &nullable {
                if r.path.contains(&format!("{{{name}}}")) {
                    self.null_in_text(&format!("{at}/path"), name, "a path parameter");
                }
            }
            let texts = r
                .query
                .iter()
                .map(|(k, v)| {
                    (
                        crate::pointer::push(&format!("{at}/query"), k),
                        v,
                        "a query value",
                    )
                })
                .chain(r.headers.iter().map(|(k, v)| {
                    (
                        crate::pointer::push(&format!("{at}/headers"), k),
                        v,
                        "a header value",
                    )
                }));
            let mut found = Vec::new();
            for (where_, text, what) in texts {
                let Ok(t) = Template::parse(text) else {
                    continue; // reported by the template check
                };
                for var in t.vars().filter(|v| v.namespace == "input") {
                    if nullable.contains(&var.path[0].as_str()) {
                        found.push((where_.clone(), var.path[0].clone(), what));
                    }
                }
            }
            for (where_, name, what) in found {
                self.null_in_text(&where_, &name, what);
            }
        }
    }

    fn null_in_text(&mut self, at: &str, input: &str, what: &str) {
        self.err(
            at,
            format!(
                "input `{input}` may be null (its schema names \"null\"), but {what} is text and cannot carry a null"
            ),
            format!(
                "drop \"null\" from `{input}`'s type (leaving the input out leaves the value out), or send it in the body"
            ),
        );
    }
}
