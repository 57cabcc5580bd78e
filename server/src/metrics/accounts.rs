//! The account-status gauge's source: counts of connected accounts by (connection, status),
//! from the runtime's grouped count (one query, reused for a few seconds across scrapes).

use std::collections::BTreeMap;

use toolwire_runtime::Toolwire;

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
    for ((connection, status), n) in tw.accounts().count_by_status().await? {
        counts.insert((connection, status.as_str().to_string()), n);
    }
    Ok(counts)
}
