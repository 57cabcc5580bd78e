//! Account lifecycle checks that run on a schedule: accounts on an auth scheme whose tokens the
//! vendor deactivates after a period without use (`inactivity_days`) get a warning a week
//! before, recorded as a status reason and broadcast as an event, while they stay ACTIVE.

use chrono::{DateTime, Duration, Utc};

use crate::error::Result;
use crate::store::{AccountFilter, AccountStatus, StatusChange};
use crate::toolwire::Toolwire;

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

impl Toolwire {
    /// Warns about ACTIVE accounts nearing the vendor's inactivity deactivation (as of `now`).
    pub async fn sweep_inactivity(&self, now: DateTime<Utc>) -> Result<SweepReport> {
        let mut report = SweepReport::default();
        for connector in self.connectors() {
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
                    let page = self
                        .store()
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
                        self.set_status_internal(
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
}
