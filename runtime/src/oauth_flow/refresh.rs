//! A forced token refresh on the [`OAuth`] handle: the engine's single-flight refresh, run now
//! whether or not the access token is about to expire (e.g. to check a connector's token
//! endpoint offline, or after the vendor revoked the access token out of band).

use super::OAuth;
use crate::error::{Error, Result};
use crate::store::AccountRecord;

impl OAuth<'_> {
    /// Refreshes the OAuth account's tokens now, through the same path as a refresh before
    /// expiry (one refresh across processes; a dead grant makes the account EXPIRED). Returns
    /// the account as stored afterwards.
    pub async fn refresh_now(&self, connection: &str, identifier: &str) -> Result<AccountRecord> {
        let engine = self.engine;
        let not_found = || Error::AccountNotFound {
            connection: connection.into(),
            identifier: identifier.into(),
        };
        let account = engine
            .store
            .get_account(connection, identifier)
            .await?
            .ok_or_else(not_found)?;
        let current = engine
            .vault
            .unseal_account(&account)?
            .ok_or_else(|| engine.not_active(&account))?;
        engine
            .refresh(&account, current.expose_field("access_token"), true)
            .await?;
        engine
            .store
            .get_account(connection, identifier)
            .await?
            .ok_or_else(not_found)
    }
}
