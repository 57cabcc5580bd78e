//! The credential verify probe: the spec's `verify` request sent with an account's
//! credentials, and its verdict ([`VerifyOutcome`]): valid, rejected (401, or a 2xx that fails
//! the spec's expectations), restricted (403: the account itself is fenced off), or unknown
//! (429, 5xx, network). What a verdict does to the account's status is decided in `status.rs`;
//! `Accounts::set_credentials` and the OAuth callback use it before storing credentials.

use serde_json::{Map, Value};
use toolwire_spec::{AccountEffect, ConnectorSpec, HttpMethod, UpstreamErrorCode};

use super::send::{Exchange, SendError, send};
use crate::error::Error;
use crate::vault::Credentials;

/// What the probe found.
#[derive(Debug)]
pub(crate) enum VerifyOutcome {
    /// Credentials work and the body meets every expectation.
    Valid,
    /// 401, or a 2xx that fails the expectations (e.g. an anonymous user).
    Rejected,
    /// 403: the account is fenced off.
    Restricted(Option<String>),
    /// No verdict (429, 5xx, network): change nothing.
    Unknown(Error),
}

/// Runs the spec's verify probe.
pub(crate) async fn probe(
    client: &reqwest::Client,
    spec: &ConnectorSpec,
    base_url: &str,
    auth: &crate::connector::AuthTemplates,
    creds: &Credentials,
    config: &Map<String, Value>,
) -> VerifyOutcome {
    let ex = Exchange {
        method: spec.verify.method,
        url: format!("{base_url}{}", spec.verify.path),
        query: vec![],
        headers: spec
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        // A GraphQL probe's body is its constant document (`{"query", "operationName"}`).
        body: spec.verify.graphql.as_ref().and_then(|g| {
            let template = g.body_template().ok()?;
            template.render(&|_: &toolwire_spec::template::VarRef| None)
        }),
        encoding: Default::default(),
        retry_safe: spec.verify.method == HttpMethod::Get || spec.verify.graphql.is_some(),
        spec,
        budget: None,
    };
    match send(client, &ex, &|r| auth.apply(creds, config, r)).await {
        Ok(answer) => {
            if spec
                .verify
                .expect
                .iter()
                .all(|m| m.matches(Some(&answer.body)))
            {
                VerifyOutcome::Valid
            } else {
                VerifyOutcome::Rejected
            }
        }
        Err(SendError::Upstream(f)) if f.status == 401 => VerifyOutcome::Rejected,
        Err(SendError::Upstream(f)) if f.status == 403 => {
            let msg = f.body.as_ref().and_then(|b| {
                b.pointer("/error/message")
                    .or_else(|| b.pointer("/description"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            VerifyOutcome::Restricted(msg)
        }
        // An error reported in the body (at any status) that the spec's rules call a dead
        // credential or a fence is a verdict like a 401 or 403.
        Err(SendError::Upstream(f)) if rule_says(&f, rejects) => VerifyOutcome::Rejected,
        Err(SendError::Upstream(f)) if rule_says(&f, fences) => VerifyOutcome::Restricted(
            f.rule
                .as_ref()
                .and_then(|r| r.upstream_message.as_deref())
                .and_then(|p| f.body.as_ref()?.pointer(p))
                .and_then(Value::as_str)
                .map(str::to_string),
        ),
        Err(SendError::Upstream(f)) => VerifyOutcome::Unknown(super::send::upstream_error(&f)),
        Err(SendError::Transport(e)) => VerifyOutcome::Unknown(e),
    }
}

/// Whether the failure's matched rule passes `test`.
fn rule_says(f: &super::send::Failure, test: fn(&toolwire_spec::ErrorRule) -> bool) -> bool {
    f.rule.as_ref().is_some_and(test)
}

/// A rule naming a dead credential.
fn rejects(rule: &toolwire_spec::ErrorRule) -> bool {
    matches!(
        rule.account,
        AccountEffect::VerifyThenRevoke | AccountEffect::RefreshThenRetry
    ) || matches!(
        rule.code,
        UpstreamErrorCode::AccountRevoked | UpstreamErrorCode::AccountExpired
    )
}

/// A rule naming a fenced-off account.
fn fences(rule: &toolwire_spec::ErrorRule) -> bool {
    rule.account == AccountEffect::VerifyThenRestrict
        || rule.code == UpstreamErrorCode::AccountRestricted
}
