//! The page templates (`server/templates/*.hbs`, compiled into the binary) and the stylesheet.
//! Handlebars escapes every `{{value}}` for HTML; no template uses triple braces.

use std::sync::LazyLock;

use handlebars::Handlebars;

/// `server/templates/style.css`.
pub const STYLE: &str = include_str!("../../templates/style.css");

const TEMPLATES: &[(&str, &str)] = &[
    ("head", include_str!("../../templates/head.hbs")),
    ("foot", include_str!("../../templates/foot.hbs")),
    ("field", include_str!("../../templates/field.hbs")),
    ("connect", include_str!("../../templates/connect.hbs")),
    ("done", include_str!("../../templates/done.hbs")),
    ("error", include_str!("../../templates/error.hbs")),
    (
        "oauth_start",
        include_str!("../../templates/oauth_start.hbs"),
    ),
    ("admin", include_str!("../../templates/admin.hbs")),
    (
        "admin_login",
        include_str!("../../templates/admin_login.hbs"),
    ),
];

static PAGES: LazyLock<Handlebars<'static>> = LazyLock::new(|| {
    let mut hb = Handlebars::new();
    for (name, text) in TEMPLATES {
        if matches!(*name, "head" | "foot" | "field") {
            hb.register_partial(name, *text)
                .unwrap_or_else(|e| panic!("partial {name}: {e}"));
        } else {
            hb.register_template_string(name, *text)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
    }
    hb
});

/// Renders `name` with `ctx`; a failure (a bug: the templates are tested) gives a bare page.
pub fn render(name: &str, ctx: &serde_json::Value) -> String {
    PAGES.render(name, ctx).unwrap_or_else(|e| {
        tracing::error!(template = name, error = %e, "template failed");
        "<!doctype html><title>Error</title><p>This page could not be shown.</p>".into()
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn every_page_renders_and_escapes() {
        let field = json!({"id": "f", "name": "config.x", "label": "X", "type": "text",
            "value": "\"><script>", "autocomplete": "off", "required": true});
        let html = super::render(
            "connect",
            &json!({"title": "T", "vendor": "V",
            "identifier": "<b>", "action": "/connect/t", "csrf": "c", "config": [field],
            "schemes": [], "oauth": [{"name": "o", "title": "Go", "button_id": "b"}]}),
        );
        assert!(
            html.contains("&lt;b&gt;") && !html.contains("<script>"),
            "{html}"
        );
        assert!(html.contains("<label for=\"f\">X</label>"));
        for name in ["done", "error", "admin", "admin_login", "oauth_start"] {
            let html = super::render(name, &json!({"title": "T", "message": "m", "groups": []}));
            assert!(
                html.starts_with("<!doctype html>") && html.contains("</html>"),
                "{name}: {html}"
            );
        }
    }
}
