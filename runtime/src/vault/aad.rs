//! `Aad`: the associated data binding a ciphertext to its account row:
//! (connection, identifier, account id, canonical config). Each part is length-prefixed, and
//! the config is canonical JSON, so key order does not matter but every value does.

use std::fmt;

use uuid::Uuid;

use crate::store::{AccountConfig, AccountRecord, canonical_json};

const DOMAIN: &[u8] = b"toolwire/credentials/v1";

/// Associated data for sealing or unsealing one account's credentials. Not secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Aad(Vec<u8>);

impl Aad {
    /// Binds credentials to this account and config.
    pub fn new(
        connection: &str,
        identifier: &str,
        account_id: Uuid,
        config: &AccountConfig,
    ) -> Self {
        let config = canonical_json(&serde_json::Value::Object(config.clone()));
        let mut bytes = Vec::with_capacity(64 + connection.len() + identifier.len() + config.len());
        push(&mut bytes, DOMAIN);
        push(&mut bytes, connection.as_bytes());
        push(&mut bytes, identifier.as_bytes());
        push(&mut bytes, account_id.as_bytes());
        push(&mut bytes, config.as_bytes());
        Self(bytes)
    }

    /// The associated data of a stored account (its current config).
    pub fn for_account(account: &AccountRecord) -> Self {
        Self::new(
            &account.connection,
            &account.identifier,
            account.id,
            &account.config,
        )
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

fn push(out: &mut Vec<u8>, part: &[u8]) {
    let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(part);
}

impl fmt::Debug for Aad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Aad({} bytes)", self.0.len())
    }
}
