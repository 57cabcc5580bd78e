//! Saving verified credentials: one path for every way they arrive (form, API, OAuth callback).
//! Seal under the account's binding, store with a status change, invalidate the cache, announce.

use serde_json::{Map, Value};

use super::Engine;
use crate::error::Result;
use crate::store::{AccountRecord, CredentialsUpdate, StatusChange};
use crate::vault::{Aad, Credentials};

impl Engine {
    /// Stores already-verified credentials for (connection, identifier), creating the account if
    /// needed, and moves it to `change`.
    pub(crate) async fn save_credentials(
        &self,
        connection: &str,
        identifier: &str,
        scheme: &str,
        config: Map<String, Value>,
        credentials: &Credentials,
        change: StatusChange,
    ) -> Result<AccountRecord> {
        let account = self
            .store
            .get_or_create_account(connection, identifier)
            .await?
            .0;
        let sealed = self.vault.seal(
            &Aad::new(connection, identifier, account.id, &config),
            credentials,
        )?;
        let update = CredentialsUpdate {
            expected_version: account.version,
            auth_scheme: scheme.to_string(),
            config,
            sealed,
            status: change,
        };
        self.cache.invalidate(connection, identifier);
        let (updated, event) = self
            .store
            .store_credentials_evented(account.id, &update)
            .await?;
        // Again after the write: a call may have cached the old row in between.
        self.cache.invalidate(connection, identifier);
        self.events.emit(event);
        Ok(updated)
    }
}
