//! The HTTP side of one call: the main request built from the spec and declared write
//! strategies (quirks). The answer becomes a [`ToolOutput`](super::ToolOutput) in `output.rs`.

use std::sync::Arc;

use serde_json::{Value, json};
use toolwire_spec::template::{VarRef, lookup_path};
use toolwire_spec::{AuthScheme, BodyEncoding, HttpMethod, Quirk, ToolSpec};

use super::Engine;
use super::send::{Answer, Exchange, Failure, SendError, config_value, render_pairs, send};
use crate::connector::{CompiledTool, Connector, route::render_path};
use crate::error::{Error, Result};
use crate::store::AccountRecord;
use crate::vault::Credentials;

/// Everything a call needs once the account is loaded.
pub(crate) struct Call<'a> {
    pub(crate) engine: &'a Engine,
    pub(crate) connector: &'a Connector,
    pub(crate) tool: &'a ToolSpec,
    pub(crate) compiled: &'a CompiledTool,
    pub(crate) account: &'a AccountRecord,
    pub(crate) scheme: &'a AuthScheme,
    pub(crate) auth: &'a crate::connector::AuthTemplates,
    pub(crate) creds: Arc<Credentials>,
    pub(crate) target: Arc<super::cache::Target>,
    pub(crate) input: Value,
    pub(crate) idempotency_key: Option<String>,
    /// The main answer's `rel="next"` URL (`link_header` paging).
    pub(crate) next_link: std::sync::Mutex<Option<String>>,
}

pub(crate) enum CallError {
    Upstream(Box<Failure>),
    Other(Error),
}

impl From<SendError> for CallError {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Upstream(f) => CallError::Upstream(f),
            SendError::Transport(e) => CallError::Other(e),
        }
    }
}

impl From<Error> for CallError {
    fn from(e: Error) -> Self {
        CallError::Other(e)
    }
}

impl Call<'_> {
    fn lookup<'v>(
        &'v self,
        delta: Option<&'v Value>,
    ) -> impl Fn(&VarRef) -> Option<&'v Value> + 'v {
        // A null reaches the templates only as a top-level input the checked input kept (one
        // whose schema names null, sent to clear a field); any other null is absent.
        move |v: &VarRef| match v.namespace.as_str() {
            "input" => match self.input.get(&v.path[0]) {
                Some(x) if v.path.len() == 1 => Some(x),
                x => x
                    .and_then(|x| lookup_path(x, &v.path[1..]))
                    .filter(|x| !x.is_null()),
            },
            "config" => config_value(&self.account.config, v).filter(|x| !x.is_null()),
            "delta" => delta
                .and_then(|d| lookup_path(d, &v.path))
                .filter(|x| !x.is_null()),
            _ => None,
        }
    }

    async fn exchange(
        &self,
        method: HttpMethod,
        path: &str,
        query: Vec<(String, String)>,
        body: Option<Value>,
        retry_safe: bool,
    ) -> Result<Value, CallError> {
        self.exchange_as(method, path, query, body, BodyEncoding::Json, retry_safe)
            .await
    }

    /// [`exchange`](Self::exchange) with the body sent as `encoding` says.
    async fn exchange_as(
        &self,
        method: HttpMethod,
        path: &str,
        query: Vec<(String, String)>,
        body: Option<Value>,
        encoding: BodyEncoding,
        retry_safe: bool,
    ) -> Result<Value, CallError> {
        let url = self.url_for(path)?;
        self.exchange_url(method, url, query, body, encoding, retry_safe)
            .await
            .map(|answer| answer.body)
    }

    /// The URL of a spec path (`{name}` = percent-encoded input) under the account's base URL.
    fn url_for(&self, path: &str) -> Result<String, CallError> {
        let path = render_path(path, &self.input).map_err(|e| match e {
            Error::InvalidInput { problems, .. } => Error::InvalidInput {
                tool: self.tool.name.clone(),
                problems,
            },
            other => other,
        })?;
        Ok(format!("{}{path}", self.target.base))
    }

    /// One exchange with a full URL; the answer keeps its headers.
    async fn exchange_url(
        &self,
        method: HttpMethod,
        url: String,
        query: Vec<(String, String)>,
        body: Option<Value>,
        encoding: BodyEncoding,
        retry_safe: bool,
    ) -> Result<Answer, CallError> {
        let mut headers: Vec<(String, String)> = self
            .connector
            .spec
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        headers.extend(render_pairs(&self.compiled.headers, &self.lookup(None)));
        if let (Some(idem), Some(key)) = (&self.tool.request.idempotency, &self.idempotency_key) {
            headers.push((idem.header.clone(), key.clone()));
        }
        let ex = Exchange {
            method,
            url,
            query,
            headers,
            body,
            encoding,
            retry_safe,
            spec: &self.connector.spec,
            budget: Some(&self.target.budget),
        };
        let creds = &self.creds;
        let config = &self.account.config;
        let auth = self.auth;
        let budget = &self.target.budget;
        let _slot = match budget.enter().await {
            Ok(slot) => slot,
            Err(wait) => {
                return Err(CallError::Other(Error::Upstream {
                    code: toolwire_spec::UpstreamErrorCode::RateLimited,
                    status: 429,
                    message: format!(
                        "{} asked this account to slow down; nothing was sent. Try again in {wait} s.",
                        self.connector.spec.title
                    ),
                    details: None,
                    retry_after_s: Some(wait),
                }));
            }
        };
        let token = self.tool.credential.as_ref().map(|c| c.token.as_str());
        let authorize = |r| match token {
            Some(field) => crate::connector::bearer_from_field(creds, field, r),
            None => auth.apply(creds, config, r),
        };
        match send(&self.engine.client, &ex, &authorize).await {
            Ok(answer) => Ok(answer),
            Err(SendError::Upstream(f)) => {
                let asked_to_wait = f
                    .rule
                    .as_ref()
                    .is_some_and(|r| r.retry == toolwire_spec::RetryKind::AfterHeader);
                if let (Some(s), true) = (f.retry_after_s, asked_to_wait) {
                    budget.block(s).await;
                }
                Err(CallError::Upstream(f))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) async fn perform(&self) -> Result<Value, CallError> {
        let request = &self.tool.request;
        let lookup = self.lookup(None);
        let body = self.compiled.body.as_ref().and_then(|b| b.render(&lookup));
        let query = render_pairs(&self.compiled.query, &lookup);
        let skip = request.skip_if_body_empty && body.is_none();
        let mut result = if skip {
            None
        } else {
            // A `link_header` cursor is the next page's whole URL, query included.
            let (url, query) =
                match super::paging::cursor_url(self.tool, &self.input, &self.target.base)? {
                    Some(url) => (url, vec![]),
                    None => (self.url_for(&request.path)?, query),
                };
            let answer = self
                .exchange_url(
                    request.method,
                    url,
                    query,
                    body,
                    request.body_encoding,
                    self.tool.retry_safe(),
                )
                .await?;
            if let Ok(mut next) = self.next_link.lock() {
                *next = super::paging::next_link(&answer.headers);
            }
            Some(answer.body)
        };
        for (quirk, step) in self.tool.quirks.iter().zip(&self.compiled.steps) {
            let Quirk::CollectionDelta {
                add_input,
                remove_input,
                add,
                remove,
                token,
                conflict_status,
                conflict_retries,
                merge,
            } = quirk;
            let mut last_step = None;
            for (input_name, step_spec, template) in [
                (add_input, add, &step.add),
                (remove_input, remove, &step.remove),
            ] {
                let Some(items) = self
                    .input
                    .get(input_name)
                    .filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
                else {
                    continue;
                };
                let mut conflicts = 0;
                loop {
                    let current = self
                        .exchange(token.method, &token.path, vec![], None, true)
                        .await?;
                    let stamp = current
                        .pointer(&token.pointer)
                        .cloned()
                        .unwrap_or(Value::Null);
                    let delta = json!({"items": items, "token": stamp});
                    let body = template
                        .as_ref()
                        .and_then(|t| t.render(&self.lookup(Some(&delta))));
                    match self
                        .exchange(
                            step_spec.method,
                            &step_spec.path,
                            vec![],
                            body,
                            self.tool.retry_safe(),
                        )
                        .await
                    {
                        Ok(v) => {
                            last_step = Some(v);
                            break;
                        }
                        Err(CallError::Upstream(f))
                            if f.status == *conflict_status && conflicts < *conflict_retries =>
                        {
                            conflicts += 1;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            match (&mut result, merge, last_step) {
                (Some(body), Some(m), Some(step_body)) => {
                    if let (Some(value), Some(slot)) = (
                        step_body.pointer(&m.from).cloned(),
                        body.pointer_mut(&m.into),
                    ) {
                        *slot = value;
                    }
                }
                (None, _, _) => {
                    result = Some(
                        self.exchange(token.method, &token.path, vec![], None, true)
                            .await?,
                    )
                }
                _ => {}
            }
        }
        let body = result.unwrap_or(Value::Null);
        // An answer with no body (204) becomes the spec's declared `no_content` body.
        match &self.compiled.no_content {
            Some(template) if body.is_null() => {
                Ok(template.render(&self.lookup(None)).unwrap_or(Value::Null))
            }
            _ => Ok(body),
        }
    }
}
