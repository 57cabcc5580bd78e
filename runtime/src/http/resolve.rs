//! A resolver that maps every name under given suffixes to fixed addresses, and resolves other
//! names with the system resolver.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Sends `*.{suffix}` (and `{suffix}` itself) to its address; the first matching rule wins.
#[derive(Debug, Clone, Default)]
pub struct SuffixResolver {
    rules: Vec<(String, SocketAddr)>,
}

impl SuffixResolver {
    /// One rule: `suffix` like `example.com`.
    pub fn new(suffix: impl Into<String>, addr: SocketAddr) -> Self {
        Self::default().with(suffix, addr)
    }

    /// Adds a rule (checked after the earlier ones).
    pub fn with(mut self, suffix: impl Into<String>, addr: SocketAddr) -> Self {
        let suffix = suffix
            .into()
            .trim_start_matches("*.")
            .trim_start_matches('.')
            .to_ascii_lowercase();
        self.rules.push((suffix, addr));
        self
    }

    pub(super) fn lookup(&self, host: &str) -> Option<SocketAddr> {
        let host = host.to_ascii_lowercase();
        self.rules.iter().find_map(|(suffix, addr)| {
            let under = host
                .strip_suffix(suffix.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'));
            under.then_some(*addr)
        })
    }
}

impl Resolve for SuffixResolver {
    fn resolve(&self, name: Name) -> Resolving {
        if let Some(addr) = self.lookup(name.as_str()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_match_whole_labels_and_first_rule_wins() {
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
        let r = SuffixResolver::new("*.example.com", a).with("api.other.test", b);
        assert_eq!(r.lookup("acme.EXAMPLE.com"), Some(a));
        assert_eq!(r.lookup("example.com"), Some(a));
        assert_eq!(r.lookup("notexample.com"), None);
        assert_eq!(r.lookup("x.api.other.test"), Some(b));
        assert_eq!(r.lookup("other.test"), None);
    }
}
