//! The account-status gauge's source: counts of connected accounts by (connection, status),
//! read from the store by paging through every account (at scrape time).

use std::collections::BTreeMap;

use toolwire_runtime::{AccountFilter, Toolwire};

use crate::error::ServerError;

/// Counts by (connection, status); every loaded connection gets every status (zeros included),
/// so dashboards see a series drop to 0 instead of disappearing.
pub async fn count(tw: &Toolwire) -> Result<BTreeMap<(String, String), i64>, ServerError> {
    let mut counts = BTreeMap::new();
    for c in tw.connectors() {
        for s in toolwire_runtime::AccountStatus::ALL {
            counts.insert((c.name().to_string(), s.as_str().to_string()), 0);
        }
    }
    let mut token: Option<String> = None;
    loop {
        let page = tw
            .accounts()
            .list(&AccountFilter::default(), token.as_deref(), 500)
            .await?;
        for a in &page.accounts {
            *counts
                .entry((a.connection.clone(), a.status.as_str().to_string()))
                .or_insert(0) += 1;
        }
        match page.next_page_token {
            Some(t) => token = Some(t),
            None => return Ok(counts),
        }
    }
}
