//! One tool call, end to end.

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use serde_json::{Value, json};
use toolwire_spec::template::{VarRef, lookup_path};
use toolwire_spec::{AccountEffect, AuthScheme, HttpMethod, Pagination, Quirk, ToolSpec};
use uuid::Uuid;

use super::Engine;
use super::send::{Exchange, Failure, SendError, config_value, render_pairs, send, upstream_error};
use super::verify::{VerifyOutcome, probe};
use crate::connector::{CompiledTool, Connector, route::render_path};
use crate::error::{Error, Result};
use crate::oauth;
use crate::store::{AccountRecord, AccountStatus, ExecutionRecord, StatusChange};
use crate::vault::Credentials;

/// The result of a tool call.
#[derive(Debug, Clone, Serialize)]
pub struct ToolOutput {
    /// The selected response data.
    pub data: Value,
    /// Unique id of this execution (also in the audit log).
    pub execution_id: Uuid,
    /// Pass back as the tool's page/cursor input to get the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Whether more pages exist.
    pub has_more: bool,
}

/// Everything a call needs once the account is loaded.
struct Call<'a> {
    engine: &'a Engine,
    connector: &'a Connector,
    tool: &'a ToolSpec,
    compiled: &'a CompiledTool,
    account: &'a AccountRecord,
    scheme: &'a AuthScheme,
    creds: Credentials,
    base: String,
    input: Value,
    idempotency_key: Option<String>,
}

impl Engine {
    /// Runs `tool_name` for `identifier`.
    pub(crate) async fn execute_tool(
        self: &Arc<Self>,
        connection: Option<&str>,
        identifier: &str,
        tool_name: &str,
        input: Value,
    ) -> Result<ToolOutput> {
        let started = Instant::now();
        let execution_id = Uuid::now_v7();
        let owner = self
            .tool_owner
            .get(tool_name)
            .ok_or_else(|| Error::UnknownTool {
                name: tool_name.to_string(),
            })?;
        let connection = connection.unwrap_or(owner);
        if connection != owner {
            return Err(Error::UnknownTool {
                name: format!("{tool_name} (not a tool of connection `{connection}`)"),
            });
        }
        let connector = self.connectors[owner].clone();
        let (tool, compiled) = connector.tool(tool_name).expect("indexed at build");
        let input = compiled.prepare_input(tool_name, input)?;
        let result = self
            .run(
                &connector,
                tool,
                compiled,
                connection,
                identifier,
                input,
                execution_id,
            )
            .await;
        let (account_id, outcome) = match &result {
            Ok((id, _)) => (Some(*id), Ok(())),
            Err((id, e)) => (*id, Err(e)),
        };
        self.audit(ExecutionRecord {
            execution_id,
            account_id,
            connection: connection.to_string(),
            identifier: identifier.to_string(),
            tool: tool_name.to_string(),
            outcome: if outcome.is_ok() {
                "ok".into()
            } else {
                "error".into()
            },
            error_code: outcome.err().map(|e| e.code().to_string()),
            http_status: match outcome {
                Err(Error::Upstream { status, .. }) => Some(*status),
                _ => None,
            },
            latency_ms: started.elapsed().as_millis() as u64,
            at: crate::store::now(),
        });
        result.map(|(_, out)| out).map_err(|(_, e)| e)
    }

    #[allow(clippy::too_many_arguments)]
    async fn run(
        self: &Arc<Self>,
        connector: &Connector,
        tool: &ToolSpec,
        compiled: &CompiledTool,
        connection: &str,
        identifier: &str,
        input: Value,
        execution_id: Uuid,
    ) -> std::result::Result<(Uuid, ToolOutput), (Option<Uuid>, Error)> {
        let cached = match self.cache.get(connection, identifier) {
            Some(hit) => hit,
            None => self.load_account(connection, identifier).await?,
        };
        let account = cached.account.clone();
        let id = Some(account.id);
        self.ensure_usable(&account).map_err(|e| (id, e))?;
        let mut creds = cached
            .creds
            .ok_or_else(|| (id, self.not_active(&account)))?;
        let scheme_name = account.auth_scheme.as_deref().unwrap_or_default();
        let scheme = connector.spec.auth.get(scheme_name).ok_or_else(|| {
            (
                id,
                Error::Internal(format!("account uses unknown auth scheme `{scheme_name}`")),
            )
        })?;
        if scheme.is_oauth() {
            if let Some(granted) = oauth::granted_scopes(&creds) {
                let missing: Vec<&str> = tool
                    .scopes
                    .iter()
                    .filter(|s| !granted.contains(s))
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    return Err((
                        id,
                        Error::ScopeNotGranted {
                            tool: tool.name.clone(),
                            missing: missing.join(", "),
                        },
                    ));
                }
            }
            if oauth::expiring(&creds, oauth::skew(scheme)) {
                let seen = creds.expose_field("access_token").map(str::to_string);
                creds = self
                    .refresh(&account, seen.as_deref(), false)
                    .await
                    .map_err(|e| (id, e))?;
            }
        }
        let base = connector
            .route
            .base_url(&account.config)
            .map_err(|e| (id, e))?;
        let idempotency_key = tool.request.idempotency.as_ref().map(|idem| {
            idem.input
                .as_ref()
                .and_then(|name| input.get(name))
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| execution_id.to_string())
        });
        let mut call = Call {
            engine: self,
            connector,
            tool,
            compiled,
            account: &account,
            scheme,
            creds,
            base,
            input,
            idempotency_key,
        };
        let mut refreshed = false;
        let body = loop {
            match call.perform().await {
                Ok(body) => break body,
                Err(CallError::Upstream(failure))
                    if !refreshed && scheme.is_oauth() && wants_refresh(&failure) =>
                {
                    refreshed = true;
                    let seen = call.creds.expose_field("access_token").map(str::to_string);
                    call.creds = self
                        .refresh(&account, seen.as_deref(), true)
                        .await
                        .map_err(|e| (id, e))?;
                }
                Err(CallError::Upstream(failure)) => {
                    return Err((id, self.after_failure(&call, &failure).await));
                }
                Err(CallError::Other(e)) => return Err((id, e)),
            }
        };
        Ok((account.id, output(tool, body, &call.input, execution_id)))
    }

    /// Reads an account and decrypts its credentials (when usable), and caches both.
    async fn load_account(
        &self,
        connection: &str,
        identifier: &str,
    ) -> std::result::Result<super::Cached, (Option<Uuid>, Error)> {
        let account = self
            .store
            .get_account(connection, identifier)
            .await
            .map_err(|e| (None, e.into()))?
            .ok_or_else(|| {
                (
                    None,
                    Error::AccountNotFound {
                        connection: connection.into(),
                        identifier: identifier.into(),
                    },
                )
            })?;
        let creds = if self.ensure_usable(&account).is_ok() {
            self.vault
                .unseal_account(&account)
                .map_err(|e| (Some(account.id), e.into()))?
        } else {
            None
        };
        let cached = super::Cached {
            account: Arc::new(account),
            creds,
        };
        self.cache.put(cached.clone());
        Ok(cached)
    }

    fn ensure_usable(&self, account: &AccountRecord) -> Result<()> {
        match account.status {
            AccountStatus::Active | AccountStatus::Restricted => Ok(()),
            _ => Err(self.not_active(account)),
        }
    }

    pub(crate) fn not_active(&self, account: &AccountRecord) -> Error {
        let link = self.reconnect_url(&account.connection, &account.identifier);
        let what = match account.status {
            AccountStatus::PendingAuth => "has no credentials yet".to_string(),
            AccountStatus::Revoked => {
                "was revoked (its credentials were rotated or deactivated)".to_string()
            }
            AccountStatus::Expired => "expired (the authorization ended)".to_string(),
            AccountStatus::Disconnected => "was disconnected".to_string(),
            AccountStatus::Restricted => "is restricted".to_string(),
            AccountStatus::Active => "is active".to_string(),
        };
        let ask = match &link {
            Some(l) => format!("ask the user to reconnect at {l}"),
            None => "ask the user to reconnect it".to_string(),
        };
        Error::AccountNotActive {
            status: account.status,
            message: format!(
                "the {} connection for `{}` {what}; {ask}",
                account.connection, account.identifier
            ),
            reconnect_url: link,
        }
    }

    /// Applies the matched rule's account effect and builds the error.
    async fn after_failure(&self, call: &Call<'_>, failure: &Failure) -> Error {
        let effect = failure.rule.as_ref().map(|r| r.account).unwrap_or_default();
        let effect = match effect {
            AccountEffect::RefreshThenRetry if !call.scheme.is_oauth() => {
                AccountEffect::VerifyThenRevoke
            }
            other => other,
        };
        let account = call.account;
        let change = match effect {
            AccountEffect::None => None,
            AccountEffect::Restrict => Some(StatusChange::new(
                AccountStatus::Restricted,
                "missing_permission",
                upstream_error(failure).to_string(),
            )),
            AccountEffect::RefreshThenRetry => Some(StatusChange::new(
                AccountStatus::Expired,
                "token_invalid",
                "the OAuth access was rejected; the user must reconnect",
            )),
            AccountEffect::VerifyThenRevoke | AccountEffect::VerifyThenRestrict
                if self.changed_since(account).await =>
            {
                None
            }
            AccountEffect::VerifyThenRevoke | AccountEffect::VerifyThenRestrict => {
                let config = &account.config;
                match probe(
                    &self.client,
                    &call.connector.spec,
                    &call.base,
                    call.scheme,
                    &call.creds,
                    config,
                )
                .await
                {
                    VerifyOutcome::Rejected => Some(StatusChange::new(
                        AccountStatus::Revoked,
                        "credentials_rejected",
                        "the credentials were rejected (token rotated, deactivated or deleted); re-enter them",
                    )),
                    VerifyOutcome::Restricted(vendor) => Some(StatusChange::new(
                        AccountStatus::Restricted,
                        "access_restricted",
                        self.restricted_message(vendor.as_deref()),
                    )),
                    VerifyOutcome::Valid | VerifyOutcome::Unknown(_) => None,
                }
            }
        };
        if let Some(change) = change {
            match self.set_status(account, &change).await {
                Ok(updated)
                    if matches!(
                        updated.status,
                        AccountStatus::Revoked | AccountStatus::Expired
                    ) =>
                {
                    return self.not_active(&updated);
                }
                Ok(updated) if updated.status == AccountStatus::Restricted => {
                    return Error::AccountNotActive {
                        status: AccountStatus::Restricted,
                        message: change.message.clone().unwrap_or_default(),
                        reconnect_url: self.reconnect_url(&account.connection, &account.identifier),
                    };
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(code = e.code(), "could not record a status change"),
            }
        }
        upstream_error(failure)
    }

    /// True when the stored account moved on (new credentials or status) since `account` was
    /// read: a failure seen with the old copy then says nothing about the account now.
    async fn changed_since(&self, account: &AccountRecord) -> bool {
        self.cache
            .invalidate(&account.connection, &account.identifier);
        match self.store.get_account_by_id(account.id).await {
            Ok(Some(now)) => now.version != account.version,
            _ => false,
        }
    }

    pub(crate) fn restricted_message(&self, vendor: Option<&str>) -> String {
        let ip = match &self.outbound_ip_hint {
            Some(ip) => {
                format!(" If the account uses an IP allowlist, allow toolwire's outbound IP {ip}.")
            }
            None => " If the account uses an IP allowlist, allow toolwire's outbound IP address."
                .to_string(),
        };
        let vendor = vendor
            .map(|v| format!(" The API said: {v}."))
            .unwrap_or_default();
        format!(
            "the account refused access even to the credential check (IP allowlist or role).{ip}{vendor}"
        )
    }

    pub(crate) async fn set_status(
        &self,
        account: &AccountRecord,
        change: &StatusChange,
    ) -> Result<AccountRecord> {
        self.cache
            .invalidate(&account.connection, &account.identifier);
        let updated = self.store.set_status(account.id, change).await?;
        if updated.status != account.status || updated.status_reason != account.status_reason {
            self.events.emit(account, &updated);
        }
        Ok(updated)
    }

    fn audit(&self, record: ExecutionRecord) {
        self.ledger.record(record);
    }
}

/// A 401 whose rule asks for a token refresh (OAuth `invalid_token`).
fn wants_refresh(failure: &Failure) -> bool {
    failure
        .rule
        .as_ref()
        .is_some_and(|r| r.account == AccountEffect::RefreshThenRetry)
}

enum CallError {
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
        move |v: &VarRef| match v.namespace.as_str() {
            "input" => self
                .input
                .get(&v.path[0])
                .and_then(|x| lookup_path(x, &v.path[1..])),
            "config" => config_value(&self.account.config, v),
            "delta" => delta.and_then(|d| lookup_path(d, &v.path)),
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
        let path = render_path(path, &self.input).map_err(|e| match e {
            Error::InvalidInput { problems, .. } => Error::InvalidInput {
                tool: self.tool.name.clone(),
                problems,
            },
            other => other,
        })?;
        let mut headers = render_pairs(&self.compiled.headers, &self.lookup(None));
        if let (Some(idem), Some(key)) = (&self.tool.request.idempotency, &self.idempotency_key) {
            headers.push((idem.header.clone(), key.clone()));
        }
        let ex = Exchange {
            method,
            url: format!("{}{path}", self.base),
            query,
            headers,
            body,
            retry_safe,
            spec: &self.connector.spec,
        };
        let creds = &self.creds;
        let config = &self.account.config;
        let scheme = self.scheme;
        let answer = send(&self.engine.client, &ex, &|r| {
            super::auth::apply(scheme, creds, config, r)
        })
        .await?;
        let _ = answer.status;
        Ok(answer.body)
    }

    async fn perform(&self) -> Result<Value, CallError> {
        let request = &self.tool.request;
        let lookup = self.lookup(None);
        let body = self.compiled.body.as_ref().and_then(|b| b.render(&lookup));
        let query = render_pairs(&self.compiled.query, &lookup);
        let skip = request.skip_if_body_empty && body.is_none();
        let mut result = if skip {
            None
        } else {
            Some(
                self.exchange(
                    request.method,
                    &request.path,
                    query,
                    body,
                    self.tool.retry_safe(),
                )
                .await?,
            )
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
        Ok(result.unwrap_or(Value::Null))
    }
}

fn output(tool: &ToolSpec, body: Value, input: &Value, execution_id: Uuid) -> ToolOutput {
    let (next_cursor, has_more) = match &tool.pagination {
        Pagination::None => (None, false),
        Pagination::Offset {
            page_input, next, ..
        } => {
            let more = body.pointer(next).is_some_and(|v| !v.is_null());
            let page = input.get(page_input).and_then(Value::as_u64).unwrap_or(1);
            (more.then(|| (page + 1).to_string()), more)
        }
        Pagination::Cursor {
            next_cursor,
            has_more,
            ..
        } => {
            let cursor = body
                .pointer(next_cursor)
                .and_then(Value::as_str)
                .map(str::to_string);
            let more = match has_more {
                Some(p) => body.pointer(p).and_then(Value::as_bool).unwrap_or(false),
                None => cursor.is_some(),
            };
            (if more { cursor } else { None }, more)
        }
    };
    let data = match &tool.response.select {
        Some(sel) => sel.apply(&body),
        None => body,
    };
    ToolOutput {
        data,
        execution_id,
        next_cursor,
        has_more,
    }
}
