//! Account lifecycle checks over the engine, reached through `Toolwire`: accounts on an auth
//! scheme whose tokens the vendor deactivates after a period without use (`inactivity_days`)
//! get a warning a week before, recorded as a status reason and broadcast as an event, while
//! they stay ACTIVE (run on a schedule); accounts on a scheme the vendor is retiring are listed
//! with its sunset date.

use chrono::{DateTime, Duration, Utc};

use crate::engine::Engine;
use crate::error::Result;
use crate::store::{AccountFilter, AccountRecord, AccountStatus, StatusChange};

/// How many days before the vendor's deactivation to warn.
pub const WARN_DAYS_BEFORE: i64 = 7;

/// What a sweep found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    /// Accounts examined.
    pub checked: u64,
    /// Accounts newly warned.
    pub warned: u64,
}

/// Warns about ACTIVE accounts nearing the vendor's inactivity deactivation (as of `now`).
pub(crate) async fn sweep_inactivity(engine: &Engine, now: DateTime<Utc>) -> Result<SweepReport> {
    let mut report = SweepReport::default();
    for connector in engine.connectors.values() {
        for (name, scheme) in &connector.spec.auth {
            let toolwire_spec::AuthScheme::Basic {
                inactivity_days: Some(days),
                ..
            } = scheme
            else {
                continue;
            };
            let filter = AccountFilter {
                connection: Some(connector.spec.connector.clone()),
                status: Some(AccountStatus::Active),
                auth_scheme: Some(name.clone()),
            };
            let mut token = None;
            loop {
                let page = engine
                    .store
                    .list_accounts(&filter, token.as_deref(), 500)
                    .await?;
                for account in page.accounts {
                    report.checked += 1;
                    let last = account
                        .last_used_at
                        .or(account.credentials_updated_at)
                        .unwrap_or(account.created_at);
                    let deactivates = last + Duration::days(i64::from(*days));
                    if now + Duration::days(WARN_DAYS_BEFORE) < deactivates
                        || account.status_reason.as_deref() == Some("inactivity_warning")
                    {
                        continue;
                    }
                    let message = format!(
                        "{} has not been used since {}; {} deactivates unused credentials of this kind after {days} days (around {}). Use it or move it to OAuth.",
                        account.identifier,
                        last.format("%Y-%m-%d"),
                        connector.spec.title,
                        deactivates.format("%Y-%m-%d")
                    );
                    engine
                        .set_status(
                            &account,
                            &StatusChange::new(
                                AccountStatus::Active,
                                "inactivity_warning",
                                message,
                            ),
                        )
                        .await?;
                    report.warned += 1;
                }
                match page.next_page_token {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
        }
    }
    Ok(report)
}

/// Accounts still on an auth scheme the vendor is retiring, with the sunset date.
pub(crate) async fn needing_migration(engine: &Engine) -> Result<Vec<(AccountRecord, String)>> {
    let mut out = Vec::new();
    for connector in engine.connectors.values() {
        for (name, scheme) in &connector.spec.auth {
            let Some(sunset) = scheme.sunset() else {
                continue;
            };
            let filter = AccountFilter {
                connection: Some(connector.spec.connector.clone()),
                status: None,
                auth_scheme: Some(name.clone()),
            };
            let mut token = None;
            loop {
                let page = engine
                    .store
                    .list_accounts(&filter, token.as_deref(), 500)
                    .await?;
                out.extend(
                    page.accounts
                        .into_iter()
                        .filter(|a| a.status != AccountStatus::Disconnected)
                        .map(|a| (a, sunset.to_string())),
                );
                match page.next_page_token {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
        }
    }
    Ok(out)
}
