//! `Credentials`: the decrypted credentials of an account (a JSON object such as
//! `{"email": "..", "api_token": ".."}`), held in a zeroize-on-drop secret box.
//!
//! Readable by the engine through `expose_*`, never printable: no `Display`, no `Serialize`,
//! and `Debug` shows only the number of fields.

use std::fmt;

use secrecy::{CloneableSecret, ExposeSecret, SecretBox};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use zeroize::Zeroize;

use super::VaultError;

/// Decrypted credentials. Zeroized on drop.
#[derive(Clone)]
pub struct Credentials(SecretBox<Fields>);

#[derive(Clone, Default)]
struct Fields(Map<String, Value>);

impl Zeroize for Fields {
    fn zeroize(&mut self) {
        for (mut key, mut value) in std::mem::take(&mut self.0) {
            key.zeroize();
            zeroize_value(&mut value);
        }
    }
}

impl CloneableSecret for Fields {}

fn zeroize_value(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(zeroize_value),
        Value::Object(map) => {
            for (mut key, mut value) in std::mem::take(map) {
                key.zeroize();
                zeroize_value(&mut value);
            }
        }
        Value::Number(_) | Value::Bool(_) | Value::Null => {}
    }
    *value = Value::Null;
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials([REDACTED; {} fields])", self.len())
    }
}

impl Credentials {
    /// Credentials from a JSON object.
    pub fn new(fields: Map<String, Value>) -> Self {
        Self(SecretBox::new(Box::new(Fields(fields))))
    }

    /// Credentials from a JSON value, which must be an object.
    pub fn from_value(value: Value) -> Result<Self, VaultError> {
        match value {
            Value::Object(map) => Ok(Self::new(map)),
            mut other => {
                zeroize_value(&mut other);
                Err(VaultError::InvalidCredentials {
                    reason: "credentials must be a JSON object",
                })
            }
        }
    }

    /// Credentials from string fields, e.g. `[("email", ".."), ("api_token", "..")]`.
    pub fn from_fields<K, V>(fields: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Self::new(
            fields
                .into_iter()
                .map(|(k, v)| (k.into(), Value::String(v.into())))
                .collect(),
        )
    }

    /// The string value of field `name`, if present and a string.
    pub fn expose_field(&self, name: &str) -> Option<&str> {
        self.expose_value(name).and_then(Value::as_str)
    }

    /// The JSON value of field `name`, if present.
    pub fn expose_value(&self, name: &str) -> Option<&Value> {
        self.expose_json().get(name)
    }

    /// The whole object.
    pub fn expose_json(&self) -> &Map<String, Value> {
        &self.0.expose_secret().0
    }

    /// Whether field `name` is present (the field names are not secret).
    pub fn has_field(&self, name: &str) -> bool {
        self.expose_json().contains_key(name)
    }

    /// The field names (not secret).
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.expose_json().keys().map(String::as_str)
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.expose_json().len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn from_plaintext(bytes: &[u8]) -> Result<Self, VaultError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|_| VaultError::InvalidCredentials {
                reason: "decrypted credentials are not valid JSON",
            })?;
        Self::from_value(value)
    }
}

impl<'de> Deserialize<'de> for Credentials {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Self::new)
    }
}
