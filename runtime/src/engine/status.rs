//! What a call's outcome does to its account's status, and the errors that say so.
//!
//! A failure applies the matched error rule's account effect. A 401 is not proof: the verify
//! probe runs with the same credentials, and only when it fails too is the account REVOKED;
//! when it passes, the call is retried once if that is safe (read-only, idempotent, or carrying
//! an idempotency key), and otherwise fails as `UPSTREAM_AUTH_FAILED`, never as a status the
//! account does not have. A 403 on the probe means the account is fenced off (IP allowlist):
//! RESTRICTED, until a call succeeds again, which makes it ACTIVE.

use toolwire_spec::AccountEffect;

use super::Engine;
use super::perform::Call;
use super::send::{Failure, upstream_error};
use super::verify::{VerifyOutcome, probe};
use crate::error::{Error, Result};
use crate::store::{AccountRecord, AccountStatus, StatusChange};

/// Status reason of an account whose credential check itself was refused (a fence such as an
/// IP allowlist): any later success shows the fence is gone.
pub(crate) const ACCESS_RESTRICTED: &str = "access_restricted";

/// What the call does after a failed attempt.
pub(super) enum AfterFailure {
    /// Send it again, once (the credentials were confirmed and repeating it is safe).
    RetryOnce,
    /// Give up with this error.
    Fail(Error),
}

/// Why a rejection was not taken as proof that the credentials are dead.
enum Unconfirmed {
    CheckPassed,
    CheckFailed(Error),
    AccountChanged,
}

impl Engine {
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

    /// Applies the matched rule's account effect and says what to do next. `may_retry`: the
    /// call is safe to repeat and was not repeated yet.
    pub(super) async fn after_failure(
        &self,
        call: &Call<'_>,
        failure: &Failure,
        may_retry: bool,
    ) -> AfterFailure {
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
                with_details(&upstream_error(failure)),
            )),
            AccountEffect::RefreshThenRetry => Some(StatusChange::new(
                AccountStatus::Expired,
                "token_invalid",
                "the OAuth access was rejected; the user must reconnect",
            )),
            AccountEffect::VerifyThenRevoke | AccountEffect::VerifyThenRestrict => {
                let outcome = match self.changed_since(account).await {
                    Some(now) => match self.ensure_usable(&now) {
                        // Another call's verdict, or the user's: report the account as it is.
                        Err(e) => return AfterFailure::Fail(e),
                        Ok(()) => Err(Unconfirmed::AccountChanged),
                    },
                    None => Ok(probe(
                        &self.client,
                        &call.connector.spec,
                        &call.target.base,
                        call.auth,
                        &call.creds,
                        &account.config,
                    )
                    .await),
                };
                let unconfirmed = match outcome {
                    Ok(VerifyOutcome::Rejected) => Ok(StatusChange::new(
                        AccountStatus::Revoked,
                        "credentials_rejected",
                        "the credentials were rejected (token rotated, deactivated or deleted); re-enter them",
                    )),
                    Ok(VerifyOutcome::Restricted(vendor)) => Ok(StatusChange::new(
                        AccountStatus::Restricted,
                        ACCESS_RESTRICTED,
                        self.restricted_message(vendor.as_deref()),
                    )),
                    Ok(VerifyOutcome::Valid) => Err(Unconfirmed::CheckPassed),
                    Ok(VerifyOutcome::Unknown(e)) => Err(Unconfirmed::CheckFailed(e)),
                    Err(u) => Err(u),
                };
                match unconfirmed {
                    Ok(change) => Some(change),
                    // A 403 with working credentials: this call's permission only.
                    Err(_) if effect == AccountEffect::VerifyThenRestrict => None,
                    Err(Unconfirmed::CheckPassed) if may_retry => {
                        tracing::info!(
                            status = failure.status,
                            "credentials refused but confirmed by the verify probe; retrying once"
                        );
                        return AfterFailure::RetryOnce;
                    }
                    Err(why) => {
                        return AfterFailure::Fail(self.unconfirmed_auth(call, failure, why));
                    }
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
                    return AfterFailure::Fail(self.not_active(&updated));
                }
                Ok(updated) if updated.status == AccountStatus::Restricted => {
                    return AfterFailure::Fail(Error::AccountNotActive {
                        status: AccountStatus::Restricted,
                        message: change.message.clone().unwrap_or_default(),
                        reconnect_url: self.reconnect_url(&account.connection, &account.identifier),
                    });
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(code = e.code(), "could not record a status change"),
            }
        }
        AfterFailure::Fail(upstream_error(failure))
    }

    /// The vendor refused the credentials but that was not confirmed: say so, without claiming
    /// a status the account does not have.
    fn unconfirmed_auth(&self, call: &Call<'_>, failure: &Failure, why: Unconfirmed) -> Error {
        let title = &call.connector.spec.title;
        let why = match why {
            Unconfirmed::CheckPassed if call.tool.retry_safe() => {
                "a credential check accepted them each time and one retry failed the same way"
                    .to_string()
            }
            Unconfirmed::CheckPassed => {
                "a credential check right after accepted them (this write is not repeated automatically)"
                    .to_string()
            }
            Unconfirmed::CheckFailed(e) => {
                format!("the credential check that would confirm it could not run ({e})")
            }
            Unconfirmed::AccountChanged => {
                "the account's credentials changed while the call ran".to_string()
            }
        };
        let vendor = failure
            .rule
            .as_ref()
            .and_then(|r| r.upstream_message.as_deref())
            .and_then(|p| failure.body.as_ref()?.pointer(p))
            .and_then(serde_json::Value::as_str)
            .map(|v| format!(" The API said: {v}."))
            .unwrap_or_default();
        Error::UpstreamAuthFailed {
            status: failure.status,
            message: format!(
                "{title} refused the credentials for this call (HTTP {}), but {why}; the account's status is unchanged and the refused request did nothing. Try the call again; if this keeps happening, check the account's permissions in {title}.{vendor}",
                failure.status
            ),
        }
    }

    /// After a successful call: an account RESTRICTED because even its credential check was
    /// refused is evidently no longer fenced off, so it is ACTIVE again (one history row and
    /// one event, however many calls succeed at once).
    pub(super) async fn after_success(&self, account: &AccountRecord) {
        if account.status != AccountStatus::Restricted
            || account.status_reason.as_deref() != Some(ACCESS_RESTRICTED)
        {
            return;
        }
        let change = StatusChange::new(
            AccountStatus::Active,
            "access_restored",
            "a call succeeded again: the account is no longer fenced off",
        );
        self.cache
            .invalidate(&account.connection, &account.identifier);
        match self
            .store
            .set_status_from_evented(
                account.id,
                (AccountStatus::Restricted, Some(ACCESS_RESTRICTED)),
                &change,
            )
            .await
        {
            Ok(Some((_, event))) => {
                self.cache
                    .invalidate(&account.connection, &account.identifier);
                self.events.emit(event);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(code = e.code(), "could not record a status change"),
        }
    }

    /// The stored account when it moved on (new credentials or status) since `account` was
    /// read: a failure seen with the old copy then says nothing about the account now.
    async fn changed_since(&self, account: &AccountRecord) -> Option<AccountRecord> {
        self.cache
            .invalidate(&account.connection, &account.identifier);
        match self.store.get_account_by_id(account.id).await {
            Ok(Some(now)) if now.version != account.version => Some(now),
            _ => None,
        }
    }

    pub(crate) fn restricted_message(&self, vendor: Option<&str>) -> String {
        let ip = match &self.outbound_ip_hint {
            Some(ip) if ip.contains(',') => {
                format!(" If the account uses an IP allowlist, allow toolwire's outbound IPs {ip}.")
            }
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
        let (updated, event) = self.store.set_status_evented(account.id, change).await?;
        // Again after the write: a call may have cached the old row in between.
        self.cache
            .invalidate(&account.connection, &account.identifier);
        // Only the change this call made (another replica may have made it first).
        self.events.emit(event);
        Ok(updated)
    }
}

/// An error's message with its named details (`needed: x; provided: y`), for a status message
/// that has no room for structured details.
fn with_details(e: &Error) -> String {
    let text = e.to_string();
    let Some(serde_json::Value::Object(fields)) = e.details() else {
        return text;
    };
    let named: Vec<String> = fields
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect();
    if named.is_empty() {
        text
    } else {
        format!("{text} ({})", named.join("; "))
    }
}
