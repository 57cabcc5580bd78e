//! Which connections an identifier has: what an end user's tool list is made of. A connection
//! counts once its account has been connected (any status but PENDING_AUTH and DISCONNECTED:
//! a REVOKED or EXPIRED account keeps its tools, whose calls answer with the reconnect link).

use std::collections::BTreeSet;

use toolwire_runtime::{AccountStatus, Toolwire};

/// The connections `identifier` has connected, by name.
pub async fn connected(
    tw: &Toolwire,
    identifier: &str,
) -> Result<BTreeSet<String>, toolwire_runtime::Error> {
    let mut out = BTreeSet::new();
    let names: Vec<String> = tw.connectors().map(|c| c.name().to_string()).collect();
    for name in names {
        if let Some(account) = tw.accounts().get(&name, identifier).await?
            && !matches!(
                account.status,
                AccountStatus::PendingAuth | AccountStatus::Disconnected
            )
        {
            out.insert(name);
        }
    }
    Ok(out)
}
