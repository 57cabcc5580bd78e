//! Which OAuth scheme a connector offers and its endpoint URLs, rendered from an account's
//! config: only `https` (no port, no user info) on the account's own host is accepted — or,
//! for a connector declaring egress patterns, on a host they allow (e.g. a login host chosen
//! in config while the API host is only known from the token response).

use serde_json::{Map, Value};
use toolwire_spec::AuthScheme;
use toolwire_spec::template::{Template, VarRef};

use crate::connector::Connector;
use crate::error::{Error, Result};

/// The connector's OAuth authorization-code scheme (named `scheme`, or the first one): its
/// name and definition.
pub(crate) fn find(connector: &Connector, scheme: Option<&str>) -> Result<(String, AuthScheme)> {
    connector
        .spec
        .auth
        .iter()
        .find(|(name, s)| {
            matches!(s, AuthScheme::Oauth2AuthorizationCode { .. })
                && scheme.is_none_or(|want| want == name.as_str())
        })
        .map(|(n, s)| (n.clone(), s.clone()))
        .ok_or_else(|| Error::OAuth {
            message: format!(
                "{} has no OAuth authorization-code scheme",
                connector.spec.title
            ),
        })
}

/// Renders an endpoint URL template (`authorize_url`, `token_url`) with the account's config.
pub(crate) fn render_url(
    connector: &Connector,
    template: &str,
    config: &Map<String, Value>,
) -> Result<String> {
    let t = Template::parse(template).map_err(|e| Error::Internal(e.message))?;
    let lookup = |v: &VarRef| {
        if v.namespace == "config" {
            config.get(&v.path[0])
        } else {
            None
        }
    };
    let url = t
        .render_string(&lookup)
        .ok_or_else(|| Error::InvalidConfig {
            field: "config".into(),
            message: "incomplete config".into(),
        })?;
    let parsed = url::Url::parse(&url).map_err(|e| Error::InvalidConfig {
        field: "config".into(),
        message: format!("bad OAuth URL: {e}"),
    })?;
    // The account's API host; not known before the code exchange when the token response
    // names it (the egress patterns decide then).
    let base = match connector.route.base_url(config) {
        Ok(base) => Some(base),
        Err(_) if connector.route.has_egress_patterns() => None,
        Err(e) => return Err(e),
    };
    let base_host = base
        .and_then(|b| url::Url::parse(&b).ok())
        .and_then(|u| u.host_str().map(str::to_string));
    let on_account_host = parsed.host_str().map(str::to_string) == base_host
        || (connector.route.has_egress_patterns() && connector.route.allows_host(&parsed));
    if parsed.scheme() != "https"
        || parsed.port().is_some()
        || !parsed.username().is_empty()
        // A URL fixed in the spec is the spec author's choice (e.g. a login host apart from
        // the API host); one built from account config must stay on the account's host.
        || (template.contains("{{") && !on_account_host)
    {
        return Err(Error::InvalidConfig {
            field: "config".into(),
            message: "the OAuth URL is not https on the account's host".into(),
        });
    }
    Ok(url)
}
