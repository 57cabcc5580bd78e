//! The egress guard: a resolver that refuses names resolving to addresses an upstream API never
//! has (loopback, private, link-local, unique-local, unspecified, ...), so an account's
//! customer-chosen host cannot reach the operator's own network. Names under the operator's
//! `--resolve` overrides are the operator's choice and stay allowed.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::resolve::SuffixResolver;

/// Marker text of a refusal, found again in the transport error's source chain.
pub(crate) const REFUSED: &str = "resolves to a private or local address";

/// Resolves through the operator's overrides first, then the system resolver, refusing
/// non-public answers unless `allow_private`.
#[derive(Debug, Clone, Default)]
pub struct GuardedResolver {
    overrides: SuffixResolver,
    allow_private: bool,
}

impl GuardedResolver {
    /// A guard over `overrides`.
    pub fn new(overrides: SuffixResolver, allow_private: bool) -> Self {
        GuardedResolver {
            overrides,
            allow_private,
        }
    }
}

/// Why a name was refused.
#[derive(Debug)]
pub(crate) struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` {REFUSED}", self.0)
    }
}

impl std::error::Error for Refused {}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        if let Some(addr) = self.overrides.lookup(name.as_str()) {
            return Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as Addrs) });
        }
        let host = name.as_str().to_string();
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private && addrs.iter().any(|a| !is_public(a.ip())) {
                return Err(Box::new(Refused(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// True for an address a public API can have: not loopback, private (RFC 1918), shared
/// (100.64/10), link-local, unique-local (fc00::/7), unspecified, multicast, documentation or
/// broadcast; IPv4-mapped IPv6 addresses are judged as their IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// True when `e` (or an error in its source chain) is the guard's refusal, matched by its
/// type (callers outside the runtime: no message text to compare).
pub fn is_refusal(e: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(e), |e| e.source()).any(|e| e.downcast_ref::<Refused>().is_some())
}

/// True when `e` (or an error it wraps) is the guard's refusal.
pub(crate) fn refused(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(err) = next {
        if err.downcast_ref::<Refused>().is_some() || err.to_string().contains(REFUSED) {
            return true;
        }
        next = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_unique_local_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip} counted as public");
        }
        for ip in ["140.82.112.6", "8.8.8.8", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip} counted as private");
        }
    }

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused_unless_allowed() {
        let guard = GuardedResolver::new(SuffixResolver::default(), false);
        let err = match guard.resolve("localhost".parse().unwrap()).await {
            Ok(_) => panic!("localhost resolved through the guard"),
            Err(e) => e,
        };
        assert!(refused(err.as_ref()), "{err}");
        let open = GuardedResolver::new(SuffixResolver::default(), true);
        let addrs: Vec<_> = open
            .resolve("localhost".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()));
    }

    #[tokio::test]
    async fn the_client_refuses_at_connect_time_and_the_error_says_so() {
        let guarded = super::super::guarded_client(&Default::default(), false).unwrap();
        let err = guarded
            .get("https://localhost:9/")
            .send()
            .await
            .unwrap_err();
        assert!(refused(&err), "{err:?}");
        // Allowed, the same request gets as far as the (closed) port: a different failure.
        let open = super::super::guarded_client(&Default::default(), true).unwrap();
        let err = open.get("https://localhost:9/").send().await.unwrap_err();
        assert!(!refused(&err), "{err:?}");
    }

    #[tokio::test]
    async fn operator_overrides_stay_allowed() {
        let addr: SocketAddr = "127.0.0.1:8443".parse().unwrap();
        let guard = GuardedResolver::new(SuffixResolver::new("example.com", addr), false);
        let got: Vec<_> = guard
            .resolve("api.example.com".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert_eq!(got, vec![addr]);
    }
}
