//! Tenant routing: the base-URL template rendered with validated config, then checked — https,
//! exactly the expected host, no port, no userinfo — before any credential is attached. A base
//! URL may also start with a config value holding a whole origin (`{{config.instance_url}}/api`,
//! e.g. the address an OAuth token response names): that origin must be bare `https://host`,
//! and its host must pass the egress policy like any host taken from config.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};
use toolwire_spec::template::{Template, lookup_path};

use crate::error::{Error, Result};

/// Characters left as is in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The parsed base URL and host templates.
#[derive(Debug)]
pub struct Route {
    base: Template,
    host: Template,
    /// The host template is a config value holding a whole origin (`https://host`).
    origin_from_config: bool,
    egress: super::egress::HostPolicy,
}

impl Route {
    /// Parses `https://{{config.x}}.example.com/api`, or `{{config.origin}}/api` where the
    /// config value is a whole `https://host` origin.
    pub fn new(base_url: &str) -> std::result::Result<Self, String> {
        let base = Template::parse(base_url).map_err(|e| e.message)?;
        let origin_from_config = base_url.starts_with("{{");
        let rest = match base_url.strip_prefix("https://") {
            Some(rest) => rest,
            None if origin_from_config => base_url,
            None => return Err("base_url must be https".into()),
        };
        let host_text = match rest.find("}}") {
            Some(end) if origin_from_config => &rest[..end + 2],
            _ => rest.split('/').next().unwrap_or_default(),
        };
        let host = Template::parse(host_text).map_err(|e| e.message)?;
        let field = host_text
            .split("{{")
            .nth(1)
            .and_then(|rest| rest.split("}}").next())
            .and_then(|var| var.trim().strip_prefix("config."))
            .unwrap_or_default()
            .to_string();
        Ok(Route {
            base,
            host,
            origin_from_config,
            egress: super::egress::HostPolicy {
                field,
                ..Default::default()
            },
        })
    }

    /// Applies the spec's egress patterns to the rendered host.
    pub fn with_egress(mut self, egress: Option<toolwire_spec::Egress>) -> Self {
        self.egress.patterns = egress;
        self
    }

    /// Whether local hosts (IP literals, `localhost`, single-label names) are allowed.
    pub fn allow_private(&mut self, allow: bool) {
        self.egress.allow_private = allow;
    }

    /// Whether the spec declares egress host patterns.
    pub(crate) fn has_egress_patterns(&self) -> bool {
        self.egress.patterns.is_some()
    }

    /// Whether `url`'s host passes the egress policy (patterns, no IP literal or local name).
    pub(crate) fn allows_host(&self, url: &url::Url) -> bool {
        self.egress.check(url).is_ok()
    }

    /// The base URL for an account's (validated) config, after the host checks.
    pub fn base_url(&self, config: &Map<String, Value>) -> Result<String> {
        let lookup = |v: &toolwire_spec::template::VarRef| {
            if v.namespace == "config" {
                config
                    .get(&v.path[0])
                    .and_then(|c| lookup_path(c, &v.path[1..]))
            } else {
                None
            }
        };
        let base = self.base.render_string(&lookup).ok_or_else(|| {
            // Name the first setting the base URL needs and the account lacks (e.g. an
            // address an access-token account must give itself).
            let missing = self
                .base
                .vars()
                .find(|v| v.namespace == "config" && !config.contains_key(&v.path[0]))
                .map(|v| v.path[0].clone());
            match missing {
                Some(field) => Error::InvalidConfig {
                    message: format!(
                        "the account's config has no `{field}`, which its address needs"
                    ),
                    field,
                },
                None => Error::InvalidConfig {
                    field: "config".into(),
                    message: "the account's config is incomplete".into(),
                },
            }
        })?;
        // A config value may carry a fixed path after the host (`ghe.example.com/api/v3`,
        // as its pattern allows): the host is what comes before the first `/`.
        let rendered_host = self.host.render_string(&lookup).unwrap_or_default();
        let expected_host = if self.origin_from_config {
            origin_host(&rendered_host)?
        } else {
            rendered_host
                .split('/')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        };
        let url = url::Url::parse(&base).map_err(|e| Error::InvalidConfig {
            field: "config".into(),
            message: format!("the account's URL is invalid: {e}"),
        })?;
        self.egress.check(&url)?;
        let host_ok = match url.host() {
            Some(url::Host::Domain(h)) => h == expected_host,
            Some(_) => self.egress.allow_private && url.host_str() == Some(&expected_host),
            None => false,
        };
        if url.scheme() != "https"
            || !host_ok
            || url.port().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(Error::InvalidConfig {
                field: "config".into(),
                message:
                    "the account's config does not produce a safe https URL on the expected host"
                        .into(),
            });
        }
        Ok(base.trim_end_matches('/').to_string())
    }
}

/// The host of a config value that must be a bare https origin (`https://host`, nothing after
/// the host: a spec normalises a pasted trailing `/` away with `strip_suffix`).
fn origin_host(origin: &str) -> Result<String> {
    let refuse = |why: &str| Error::InvalidConfig {
        field: "config".into(),
        message: format!("the account's address must be a bare https://host origin: {why}"),
    };
    let rest = origin
        .strip_prefix("https://")
        .ok_or_else(|| refuse("it is not https"))?;
    let host = rest;
    if host.is_empty() || host.contains(['/', '?', '#', '@', ':', '\\']) {
        return Err(refuse("it carries a path, query, port or user"));
    }
    Ok(host.to_ascii_lowercase())
}

/// Renders a spec path (`/tickets/{ticket_id}.json`) with percent-encoded input values.
pub fn render_path(path: &str, input: &Value) -> Result<String> {
    let mut out = String::with_capacity(path.len() + 16);
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Error::Internal(format!("bad path {path}")))?;
        let name = &rest[open + 1..close];
        let value =
            input
                .get(name)
                .filter(|v| !v.is_null())
                .ok_or_else(|| Error::InvalidInput {
                    tool: String::new(),
                    problems: vec![crate::error::FieldProblem {
                        field: name.into(),
                        message: "is required".into(),
                    }],
                })?;
        let mut text = String::new();
        toolwire_spec::template::push_scalar(&mut text, value);
        out.extend(utf8_percent_encode(&text, SEGMENT));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};
    use toolwire_spec::Egress;

    use super::Route;
    use crate::error::Error;

    fn route() -> Route {
        Route::new("{{config.origin}}/api/v2")
            .unwrap()
            .with_egress(Some(Egress {
                hosts: vec!["*.tenants.example.com".into()],
            }))
    }

    fn config(origin: &str) -> Map<String, Value> {
        json!({ "origin": origin }).as_object().unwrap().clone()
    }

    #[test]
    fn a_config_origin_on_an_allowed_host_is_the_base_url() {
        for (origin, base) in [
            (
                "https://acme.tenants.example.com",
                "https://acme.tenants.example.com/api/v2",
            ),
            (
                "https://acme--dev.sandbox.tenants.example.com",
                "https://acme--dev.sandbox.tenants.example.com/api/v2",
            ),
        ] {
            assert_eq!(route().base_url(&config(origin)).unwrap(), base);
        }
    }

    #[test]
    fn a_config_origin_that_is_not_a_bare_https_origin_on_an_allowed_host_is_refused() {
        for origin in [
            "http://acme.tenants.example.com",
            "https://evil.example.com",
            "https://tenants.example.com.evil.example.com",
            "https://10.0.0.1",
            "https://[::1]",
            "https://localhost",
            "https://acme.tenants.example.com:8443",
            "https://user@acme.tenants.example.com",
            "https://acme.tenants.example.com/other/path",
            "https://acme.tenants.example.com/",
            "https://acme.tenants.example.com?x=1",
            "https://evil.example.com#.tenants.example.com",
            "acme.tenants.example.com",
            "",
        ] {
            match route().base_url(&config(origin)) {
                Err(Error::InvalidConfig { .. }) => {}
                other => panic!("{origin:?} was not refused: {other:?}"),
            }
        }
        match route().base_url(&Map::new()) {
            Err(Error::InvalidConfig { field, message }) => {
                assert_eq!(field, "origin");
                assert!(message.contains("`origin`"), "{message}");
            }
            other => panic!("a missing origin was routed: {other:?}"),
        }
    }
}
