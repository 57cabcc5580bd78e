//! The public entry point: [`Toolwire`] — loaded connectors, the store, the vault and the
//! HTTP client — and tool calls (dynamic by name, or typed from generated code). The facade
//! sits on top: it builds the engine with [`ToolwireBuilder`] and hands out the handles
//! ([`Accounts`], [`OAuth`]), each holding the engine, never the facade.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::accounts::Accounts;
use crate::builder::ToolwireBuilder;
use crate::connector::Connector;
use crate::engine::{Engine, ToolOutput};
use crate::error::{Error, Result};
use crate::events::StatusEvent;
use crate::lifecycle::{self, SweepReport};
use crate::oauth_flow::OAuth;
use crate::store::{AccountRecord, Store};
use crate::vault::Vault;

/// A running toolwire: loaded connectors, the store, the vault and the HTTP client.
#[derive(Clone)]
pub struct Toolwire {
    engine: Arc<Engine>,
}

impl ToolwireBuilder {
    /// Opens the vault (a wrong master key is refused here) and loads the connectors.
    pub async fn build(self) -> Result<Toolwire> {
        Ok(Toolwire {
            engine: Arc::new(self.engine().await?),
        })
    }
}

impl Toolwire {
    /// Starts configuring.
    pub fn builder() -> ToolwireBuilder {
        ToolwireBuilder::default()
    }

    /// The loaded connectors, by name.
    pub fn connectors(&self) -> impl Iterator<Item = &Connector> {
        self.engine.connectors.values().map(|c| c.as_ref())
    }

    /// One loaded connector.
    pub fn connector(&self, name: &str) -> Option<&Connector> {
        self.engine.connectors.get(name).map(|c| c.as_ref())
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.engine.store
    }

    /// The vault (for key rotation and rewrap).
    pub fn vault(&self) -> &Vault {
        &self.engine.vault
    }

    /// Waits until queued audit rows and last-use times are written (call before shutdown).
    pub async fn flush(&self) {
        self.engine.ledger.flush().await;
    }

    /// Subscribes to the account status changes this process makes (one event per change; a
    /// change another replica made first is not repeated here). Every change, from every
    /// replica, is also kept in the store's outbox ([`Store::list_outbox`]), which
    /// `toolwire serve --webhook-url` delivers; `event_id` is the same in both.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<StatusEvent> {
        self.engine.events.subscribe()
    }

    /// The OAuth API (authorization code + PKCE).
    pub fn oauth(&self) -> OAuth<'_> {
        OAuth::new(&self.engine)
    }

    /// Accounts still on an auth scheme the vendor is retiring (e.g. Zendesk API tokens),
    /// with the sunset date: the list of customers to move to OAuth.
    pub async fn accounts_needing_migration(&self) -> Result<Vec<(AccountRecord, String)>> {
        lifecycle::needing_migration(&self.engine).await
    }

    /// Warns about ACTIVE accounts nearing the vendor's inactivity deactivation (as of `now`);
    /// see [`lifecycle`](crate::lifecycle).
    pub async fn sweep_inactivity(&self, now: DateTime<Utc>) -> Result<SweepReport> {
        lifecycle::sweep_inactivity(&self.engine, now).await
    }

    /// The connected-accounts API.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts::new(&self.engine)
    }

    /// Runs a tool by name with JSON input (the dynamic path). The tool's connector is the
    /// connection unless `connection` names another. The output is the tool's projection
    /// when its spec declares one (`response.project`); see
    /// [`execute_tool_full`](Self::execute_tool_full) for the whole payload.
    pub async fn execute_tool(
        &self,
        identifier: &str,
        tool_name: &str,
        input: Value,
    ) -> Result<ToolOutput> {
        self.engine
            .execute_tool(None, identifier, tool_name, input, false)
            .await
    }

    /// Like [`execute_tool`](Self::execute_tool) (on `connection` when given) but returns the
    /// full selected output, ignoring the tool's projection (REST `"full": true`).
    pub async fn execute_tool_full(
        &self,
        connection: Option<&str>,
        identifier: &str,
        tool_name: &str,
        input: Value,
    ) -> Result<ToolOutput> {
        self.engine
            .execute_tool(connection, identifier, tool_name, input, true)
            .await
    }

    /// Decodes a model's arguments for `tool_name` given in OpenAI strict form (the form
    /// `tools schemas --format openai` exports: every field sent, `null` when unset) into the
    /// input [`execute_tool`](Self::execute_tool) takes: a `null` is absent, and the inputs
    /// listed in `clear_fields` are set to `null` (REST `"input_form": "openai_strict"`). Without
    /// this, a strict model's nulls would clear every clearable input it left alone.
    pub fn decode_openai_arguments(&self, tool_name: &str, args: Value) -> Result<Value> {
        let (tool, _) = self
            .engine
            .tool_owner
            .get(tool_name)
            .and_then(|owner| self.engine.connectors.get(owner))
            .and_then(|c| c.tool(tool_name))
            .ok_or_else(|| Error::UnknownTool {
                name: tool_name.to_string(),
            })?;
        crate::connector::input::from_openai_strict(tool_name, &tool.input, args)
    }

    /// Like [`execute_tool`](Self::execute_tool) with an explicit connection name.
    pub async fn execute_tool_on(
        &self,
        connection: &str,
        identifier: &str,
        tool_name: &str,
        input: Value,
    ) -> Result<ToolOutput> {
        self.engine
            .execute_tool(Some(connection), identifier, tool_name, input, false)
            .await
    }

    /// Runs a generated, typed tool: the same engine as [`execute_tool`](Self::execute_tool).
    pub async fn execute<T: toolwire_spec::Tool>(
        &self,
        identifier: &str,
        input: T,
    ) -> Result<TypedOutput<T::Output>> {
        let connector = self
            .connector(T::CONNECTOR)
            .ok_or_else(|| Error::UnknownConnection {
                name: T::CONNECTOR.into(),
            })?;
        if connector.fingerprint != T::SPEC_FINGERPRINT {
            return Err(Error::SpecMismatch {
                connector: T::CONNECTOR.into(),
                tool: T::NAME.into(),
            });
        }
        let json = serde_json::to_value(&input)
            .map_err(|e| Error::Internal(format!("serialize input: {e}")))?;
        let out = self.execute_tool(identifier, T::NAME, json).await?;
        let data = serde_json::from_value(out.data).map_err(|e| {
            Error::Internal(format!(
                "the {} response did not match its output type: {e}",
                T::NAME
            ))
        })?;
        Ok(TypedOutput {
            data,
            execution_id: out.execution_id,
            next_cursor: out.next_cursor,
            has_more: out.has_more,
        })
    }
}

/// A typed tool's result.
#[derive(Debug, Clone)]
pub struct TypedOutput<T> {
    /// The output.
    pub data: T,
    /// Execution id.
    pub execution_id: Uuid,
    /// Next page cursor.
    pub next_cursor: Option<String>,
    /// More pages exist.
    pub has_more: bool,
}
