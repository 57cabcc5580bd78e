//! A resolver that maps every name under a suffix to one address, and resolves other names
//! with the system resolver.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Sends `*.{suffix}` (and `{suffix}` itself) to `addr`.
#[derive(Debug, Clone)]
pub struct SuffixResolver {
    suffix: String,
    addr: SocketAddr,
}

impl SuffixResolver {
    /// `suffix` like `zendesk.com`.
    pub fn new(suffix: impl Into<String>, addr: SocketAddr) -> Self {
        let suffix = suffix
            .into()
            .trim_start_matches("*.")
            .trim_start_matches('.')
            .to_ascii_lowercase();
        SuffixResolver { suffix, addr }
    }

    fn matches(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        host == self.suffix || host.ends_with(&format!(".{}", self.suffix))
    }
}

impl Resolve for SuffixResolver {
    fn resolve(&self, name: Name) -> Resolving {
        if self.matches(name.as_str()) {
            let addr = self.addr;
            return Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as Addrs) });
        }
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}
