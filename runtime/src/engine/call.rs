//! One tool call, end to end.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;
use toolwire_spec::{AccountEffect, ToolSpec};
use uuid::Uuid;

use super::Engine;
use super::output::{ToolOutput, output};
use super::perform::{Call, CallError};
use super::send::Failure;
use super::status::AfterFailure;
use crate::connector::{CompiledTool, Connector};
use crate::error::{Error, Result};
use crate::oauth;
use crate::store::{AccountRecord, AccountStatus, ExecutionRecord};

impl Engine {
    /// Runs `tool_name` for `identifier`. Every tool call passes here, so this is where the
    /// identifier rule ([`crate::identifier`]) is applied to calls, before anything else.
    /// The output is the tool's projection (`response.project`) unless `full` asks for the
    /// whole selected output.
    pub(crate) async fn execute_tool(
        self: &Arc<Self>,
        connection: Option<&str>,
        identifier: &str,
        tool_name: &str,
        input: Value,
        full: bool,
    ) -> Result<ToolOutput> {
        let execution_id = Uuid::now_v7();
        let call = self.call_tool(connection, identifier, tool_name, input, full, execution_id);
        crate::trace::tool_call(identifier, tool_name, execution_id, call).await
    }

    /// [`execute_tool`](Self::execute_tool) inside its trace span.
    async fn call_tool(
        self: &Arc<Self>,
        connection: Option<&str>,
        identifier: &str,
        tool_name: &str,
        input: Value,
        full: bool,
        execution_id: Uuid,
    ) -> Result<ToolOutput> {
        crate::identifier::check(identifier, tool_name)?;
        let started = Instant::now();
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
        crate::trace::connection(connection);
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
        if let Some(id) = account_id {
            crate::trace::account(id);
        }
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
                Err(Error::Upstream { status, .. } | Error::UpstreamAuthFailed { status, .. }) => {
                    Some(*status)
                }
                _ => None,
            },
            latency_ms: started.elapsed().as_millis() as u64,
            at: crate::store::now(),
        })
        .await;
        let project = tool.response.project.as_ref().filter(|_| !full);
        result
            .map(|(_, mut out)| {
                if let Some(p) = project {
                    p.apply(&mut out.data);
                }
                out
            })
            .map_err(|(_, e)| e)
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
            None => self.load_account(connector, connection, identifier).await?,
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
        super::tool_credential::check(tool, scheme, &creds).map_err(|e| (id, e))?;
        if scheme.is_oauth() {
            // A tool with its own credential had its scopes checked against that token.
            if let Some(granted) =
                oauth::granted_scopes(&creds).filter(|_| tool.credential.is_none())
            {
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
                creds = Arc::new(
                    self.refresh(&account, seen.as_deref(), false)
                        .await
                        .map_err(|e| (id, e))?,
                );
            }
        }
        let target = cached
            .target
            .clone()
            .ok_or_else(|| (id, self.not_active(&account)))?;
        let auth = connector.auth_templates(scheme_name).map_err(|e| (id, e))?;
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
            auth,
            creds,
            target,
            input,
            idempotency_key,
            next_link: Default::default(),
        };
        let mut refreshed = false;
        let mut may_retry = tool.retry_safe();
        let body = loop {
            match call.perform().await {
                Ok(body) => break body,
                Err(CallError::Upstream(failure))
                    if !refreshed && scheme.is_oauth() && wants_refresh(&failure) =>
                {
                    refreshed = true;
                    let seen = call.creds.expose_field("access_token").map(str::to_string);
                    call.creds = Arc::new(
                        self.refresh(&account, seen.as_deref(), true)
                            .await
                            .map_err(|e| (id, e))?,
                    );
                }
                Err(CallError::Upstream(failure)) => {
                    match self.after_failure(&call, &failure, may_retry).await {
                        AfterFailure::RetryOnce => may_retry = false,
                        AfterFailure::Fail(e) => return Err((id, e)),
                    }
                }
                Err(CallError::Other(e)) => return Err((id, e)),
            }
        };
        self.after_success(&account).await;
        let mut out = output(tool, body, &call.input, execution_id);
        let next = call.next_link.lock().ok().and_then(|mut n| n.take());
        super::paging::finish(tool, &mut out, next);
        Ok((account.id, out))
    }

    /// Reads an account, decrypts its credentials and routes its base URL (when usable), and
    /// caches all three.
    async fn load_account(
        &self,
        connector: &Connector,
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
        let (creds, target) = if self.ensure_usable(&account).is_ok() {
            let creds = self
                .vault
                .unseal_account(&account)
                .map_err(|e| (Some(account.id), e.into()))?
                .map(Arc::new);
            let base = connector
                .route
                .base_url(&account.config)
                .map_err(|e| (Some(account.id), e))?;
            let budget = self.budgets.of(&base);
            (creds, Some(Arc::new(super::cache::Target { base, budget })))
        } else {
            (None, None)
        };
        let cached = super::Cached {
            account: Arc::new(account),
            creds,
            target,
        };
        self.cache.put(cached.clone());
        Ok(cached)
    }

    pub(super) fn ensure_usable(&self, account: &AccountRecord) -> Result<()> {
        match account.status {
            AccountStatus::Active | AccountStatus::Restricted => Ok(()),
            _ => Err(self.not_active(account)),
        }
    }

    async fn audit(&self, record: ExecutionRecord) {
        let keep = self.audit_log.keeps(record.outcome == "ok");
        self.ledger.record(record, keep).await;
    }
}

/// A 401 whose rule asks for a token refresh (OAuth `invalid_token`).
fn wants_refresh(failure: &Failure) -> bool {
    failure
        .rule
        .as_ref()
        .is_some_and(|r| r.account == AccountEffect::RefreshThenRetry)
}
