//! `AccountStatus`: the lifecycle state of a connected account, stored as its SCREAMING_CASE name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The state of a connected account. Stored and serialized as `PENDING_AUTH`, `ACTIVE`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum AccountStatus {
    /// No credentials yet.
    PendingAuth,
    /// Credentials stored and believed to work.
    Active,
    /// The provider rejected the credentials (401 confirmed by the verify probe).
    Revoked,
    /// An OAuth refresh failed.
    Expired,
    /// The provider forbids access (403 on verify: IP allowlist or permissions).
    Restricted,
    /// Disconnected by the host application or the user.
    Disconnected,
}

impl AccountStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [AccountStatus; 6] = [
        Self::PendingAuth,
        Self::Active,
        Self::Revoked,
        Self::Expired,
        Self::Restricted,
        Self::Disconnected,
    ];

    /// The stored / serialized name, e.g. `PENDING_AUTH`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingAuth => "PENDING_AUTH",
            Self::Active => "ACTIVE",
            Self::Revoked => "REVOKED",
            Self::Expired => "EXPIRED",
            Self::Restricted => "RESTRICTED",
            Self::Disconnected => "DISCONNECTED",
        }
    }
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown status name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown account status (expected one of PENDING_AUTH, ACTIVE, REVOKED, EXPIRED, RESTRICTED, DISCONNECTED)"
)]
pub struct UnknownStatus;

impl FromStr for AccountStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or(UnknownStatus)
    }
}
