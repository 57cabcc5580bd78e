//! The egress policy applied to an account's base URL: the spec's allowed host patterns, and
//! the operator's rule that IP literals and local names (`localhost`, `*.localhost`, `*.local`,
//! single-label names) are refused unless private egress is allowed. Names that *resolve* to
//! private addresses are refused at connect time by the HTTP client's guard (`http/guard.rs`).

use toolwire_spec::Egress;

use crate::error::{Error, Result};

/// What a rendered base URL's host must satisfy.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostPolicy {
    /// The spec's `egress` patterns (absent: the host is fixed by the spec's base URL).
    pub patterns: Option<Egress>,
    /// The operator allows private and local hosts.
    pub allow_private: bool,
    /// The config field the host comes from, named in errors.
    pub field: String,
}

impl HostPolicy {
    /// Refuses a host the policy does not allow, saying why.
    pub fn check(&self, url: &url::Url) -> Result<()> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let refuse = |why: String| Error::InvalidConfig {
            field: if self.field.is_empty() {
                "config".into()
            } else {
                self.field.clone()
            },
            message: why,
        };
        if !self.allow_private {
            if !matches!(url.host(), Some(url::Host::Domain(_))) {
                return Err(refuse(format!(
                    "`{host}` is an IP address; use the server's DNS name (private and local addresses are refused)"
                )));
            }
            if is_local_name(&host) {
                return Err(refuse(format!(
                    "`{host}` is a local name; use the server's public DNS name (private and local addresses are refused)"
                )));
            }
        }
        if let Some(egress) = &self.patterns
            && !egress.allows(&host)
        {
            return Err(refuse(format!(
                "`{host}` is not a host this connector may reach (allowed: {})",
                egress.hosts.join(", ")
            )));
        }
        Ok(())
    }
}

/// `localhost`, names under `.localhost`, `.local` (mDNS), `.internal`, and single-label names
/// (resolved through local search domains).
fn is_local_name(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host == "localhost"
        || [".localhost", ".local", ".internal", ".home.arpa"]
            .iter()
            .any(|s| host.ends_with(s))
        || !host.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow_private: bool) -> HostPolicy {
        HostPolicy {
            patterns: Some(Egress {
                hosts: vec!["api.example.com".into(), "*".into()],
            }),
            allow_private,
            field: "host".into(),
        }
    }

    fn check(p: &HostPolicy, url: &str) -> Result<()> {
        p.check(&url::Url::parse(url).unwrap())
    }

    #[test]
    fn ip_literals_and_local_names_are_refused_naming_the_field() {
        let p = policy(false);
        for url in [
            "https://10.0.0.1/api/v3",
            "https://169.254.169.254/api/v3",
            "https://[::1]/api/v3",
            "https://127.0.0.1/api/v3",
            "https://localhost/api/v3",
            "https://git.localhost/api/v3",
            "https://intranet/api/v3",
            "https://printer.local/api/v3",
        ] {
            match check(&p, url) {
                Err(Error::InvalidConfig { field, message }) => {
                    assert_eq!(field, "host");
                    assert!(message.contains("refused"), "{url}: {message}");
                }
                other => panic!("{url} was not refused: {other:?}"),
            }
        }
        assert!(check(&p, "https://git.example.com/api/v3").is_ok());
    }

    #[test]
    fn the_operator_may_allow_private_hosts() {
        let p = policy(true);
        assert!(check(&p, "https://10.0.0.1/api/v3").is_ok());
        assert!(check(&p, "https://localhost/api/v3").is_ok());
    }

    #[test]
    fn hosts_outside_the_patterns_are_refused() {
        let p = HostPolicy {
            patterns: Some(Egress {
                hosts: vec!["*.corp.example".into()],
            }),
            allow_private: false,
            field: "host".into(),
        };
        assert!(check(&p, "https://git.corp.example/api/v3").is_ok());
        let Err(Error::InvalidConfig { message, .. }) = check(&p, "https://git.other.example/")
        else {
            panic!("an unlisted host was allowed")
        };
        assert!(message.contains("*.corp.example"), "{message}");
    }
}
