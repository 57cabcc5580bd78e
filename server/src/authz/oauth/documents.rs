//! Client ID metadata documents (MCP authorization 2025-11-25;
//! draft-ietf-oauth-client-id-metadata-document): a `client_id` that is an `https` URL names
//! a JSON document the client hosts (its name and redirect URIs), so a client needs no
//! registration here. [`ClientDocuments::lookup`] fetches it with the runtime's guarded HTTP
//! client (names resolving to private, loopback or link-local addresses refused; IP literals,
//! `localhost` and single-label hosts refused before any request; no redirects), at most
//! [`MAX_BYTES`] within [`TIMEOUT`], and checks it: `client_id` equal to the URL, 1 to 10
//! redirect URIs each https (or http on a loopback host), a public client (no
//! `client_secret`; `token_endpoint_auth_method` absent or `none`). A good document is cached
//! for its `Cache-Control: max-age` (at most [`MAX_CACHE`]; [`DEFAULT_CACHE`] without one;
//! never with `no-store`/`no-cache`). The consent page shows the document's `client_name`
//! with the host that serves it. Dynamic registration (`/register`) stays the fallback.
//! Fetches (not cache hits) are bounded per host and in all by [`FetchLimit`]. Why a document
//! cannot be used is a [`Refusal`] (its `Display` is the sentence the HTML page shows).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use toolwire_runtime::http::HttpOptions;

use super::client::{Client, redirect_ok};
use super::fetch_limit::{Exhausted, FetchLimit, Limits};

/// The largest document accepted.
pub const MAX_BYTES: usize = 5 * 1024;
/// How long a fetch may take.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// The longest a document is cached, whatever its `max-age`.
pub const MAX_CACHE: Duration = Duration::from_secs(24 * 3600);
/// How long a document without `Cache-Control` is cached.
pub const DEFAULT_CACHE: Duration = Duration::from_secs(300);
/// Documents cached at most (the cache starts over when full).
const MAX_ENTRIES: usize = 1000;
/// The most redirect URIs a document may list.
const MAX_REDIRECT_URIS: usize = 10;

/// Why a client's metadata document cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The `client_id` does not parse as a URL.
    NotAUrl,
    /// Not https, no path, a fragment, credentials or a dot segment.
    BadUrl,
    /// An IP literal, a local or single-label name, or a name resolving to a non-public address.
    PrivateAddress,
    /// This server has no HTTP client to fetch with.
    NoFetcher,
    /// Too many fetches: of this host, or in all; try again after `retry_after_s`.
    TooManyFetches {
        /// Which bound was reached.
        of: Exhausted,
        /// Seconds until a fetch is allowed again.
        retry_after_s: u64,
    },
    /// No answer within [`TIMEOUT`].
    Timeout,
    /// The connection failed (DNS, TLS, refused).
    Unreachable,
    /// An answer other than 200.
    Status(u16),
    /// The body could not be read to its end.
    Unreadable,
    /// Larger than [`MAX_BYTES`].
    TooLarge,
    /// Not JSON.
    NotJson,
    /// JSON, but not an object.
    NotAnObject,
    /// Its `client_id` is not its URL.
    OtherClientId,
    /// It holds a `client_secret`.
    HasSecret,
    /// Its `token_endpoint_auth_method` is not `none`.
    NotPublic,
    /// No, too many or unacceptable redirect URIs.
    RedirectUris,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotAUrl => f.write_str("its client_id is not a URL"),
            Refusal::BadUrl => f.write_str(
                "its client_id must be an https URL with a path, without a fragment, \
                 credentials or dot segments",
            ),
            Refusal::PrivateAddress => f.write_str("its document is on a private or local address"),
            Refusal::NoFetcher => f.write_str("this server cannot fetch client documents"),
            Refusal::TooManyFetches { of, retry_after_s } => write!(
                f,
                "{} too many client documents just now; try again in {retry_after_s} s",
                match of {
                    Exhausted::Host => "its host was asked for",
                    Exhausted::Global => "this server has fetched",
                }
            ),
            Refusal::Timeout => write!(
                f,
                "its document did not answer within {} s",
                TIMEOUT.as_secs()
            ),
            Refusal::Unreachable => f.write_str("its document could not be fetched"),
            Refusal::Status(s) => write!(f, "its document answered HTTP {s}"),
            Refusal::Unreadable => f.write_str("its document could not be read"),
            Refusal::TooLarge => write!(f, "its document is larger than {MAX_BYTES} bytes"),
            Refusal::NotJson => f.write_str("its document is not JSON"),
            Refusal::NotAnObject => f.write_str("its document is not a JSON object"),
            Refusal::OtherClientId => {
                f.write_str("its document names another client_id than its URL")
            }
            Refusal::HasSecret => {
                f.write_str("its document holds a client_secret (a document is public)")
            }
            Refusal::NotPublic => f.write_str(
                "its document asks for a token_endpoint_auth_method other than none \
                 (this server takes public clients with PKCE)",
            ),
            Refusal::RedirectUris => write!(
                f,
                "its document must list 1 to {MAX_REDIRECT_URIS} redirect_uris, each https \
                 (or http on a loopback host), without a fragment"
            ),
        }
    }
}

impl Refusal {
    /// Seconds to wait before trying again, when waiting helps.
    pub fn retry_after_s(&self) -> Option<u64> {
        match self {
            Refusal::TooManyFetches { retry_after_s, .. } => Some(*retry_after_s),
            _ => None,
        }
    }
}

/// Fetches and caches clients' metadata documents.
pub struct ClientDocuments {
    http: Option<reqwest::Client>,
    allow_private: bool,
    cache: Mutex<HashMap<String, (Client, Instant)>>,
    limit: FetchLimit,
}

impl std::fmt::Debug for ClientDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientDocuments")
            .field("allow_private", &self.allow_private)
            .finish_non_exhaustive()
    }
}

/// Public addresses only, the web PKI only.
impl Default for ClientDocuments {
    fn default() -> Self {
        ClientDocuments::new(&HttpOptions::default(), false)
    }
}

impl ClientDocuments {
    /// Fetching through a guarded client built from `options` (extra roots and `--resolve`
    /// rules: the runtime's own mechanism); `allow_private` is the operator's
    /// `--allow-private-egress`.
    pub fn new(options: &HttpOptions, allow_private: bool) -> Self {
        ClientDocuments::limited(options, allow_private, Limits::default())
    }

    /// [`ClientDocuments::new`] with other fetch [`Limits`].
    pub fn limited(options: &HttpOptions, allow_private: bool, limits: Limits) -> Self {
        ClientDocuments {
            http: toolwire_runtime::http::guarded_client(options, allow_private).ok(),
            allow_private,
            cache: Mutex::new(HashMap::new()),
            limit: FetchLimit::new(limits),
        }
    }

    /// Whether `client_id` names a metadata document (an `https` URL).
    pub fn is_document_id(client_id: &str) -> bool {
        client_id.starts_with("https://")
    }

    /// The client `client_id`'s document describes, or why it cannot be used.
    pub async fn lookup(&self, client_id: &str) -> Result<Client, Refusal> {
        if let Some(client) = self.cached(client_id) {
            return Ok(client);
        }
        let url = self.check_url(client_id)?;
        let http = self.http.as_ref().ok_or(Refusal::NoFetcher)?;
        self.limit
            .take(url.host_str().unwrap_or_default())
            .map_err(|(of, retry_after_s)| Refusal::TooManyFetches { of, retry_after_s })?;
        let resp = http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| fetch_failed(&e))?;
        if resp.status() != reqwest::StatusCode::OK {
            return Err(Refusal::Status(resp.status().as_u16()));
        }
        let keep_for = cache_lifetime(resp.headers());
        let body = read_limited(resp).await?;
        let client = parse(client_id, &body)?;
        if let Some(ttl) = keep_for {
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if cache.len() >= MAX_ENTRIES {
                cache.clear();
            }
            cache.insert(
                client_id.to_string(),
                (client.clone(), Instant::now() + ttl),
            );
        }
        Ok(client)
    }

    fn cached(&self, client_id: &str) -> Option<Client> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        match cache.get(client_id) {
            Some((client, until)) if *until > Instant::now() => Some(client.clone()),
            Some(_) => {
                cache.remove(client_id);
                None
            }
            None => None,
        }
    }

    /// The draft's rules for the URL, and the egress rules for its host.
    fn check_url(&self, client_id: &str) -> Result<url::Url, Refusal> {
        let url = url::Url::parse(client_id).map_err(|_| Refusal::NotAUrl)?;
        if url.scheme() != "https"
            || url.fragment().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
            || url.path() == "/"
            || client_id.len() > 2000
            || has_dot_segment(client_id)
        {
            return Err(Refusal::BadUrl);
        }
        let private_name = match url.host() {
            Some(url::Host::Domain(d)) => {
                let d = d.trim_end_matches('.');
                !d.contains('.')
                    || d == "localhost"
                    || d.ends_with(".localhost")
                    || d.ends_with(".local")
            }
            // An address instead of a name: the guarded resolver never sees it.
            Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => true,
            None => true,
        };
        if private_name && !self.allow_private {
            return Err(Refusal::PrivateAddress);
        }
        Ok(url)
    }
}

/// Whether the path of `raw` (as written: parsing removes them) has a `.` or `..` segment.
fn has_dot_segment(raw: &str) -> bool {
    let path = raw.split(['?', '#']).next().unwrap_or_default();
    path.split('/').skip(3).any(|s| {
        matches!(
            s.to_ascii_lowercase().as_str(),
            "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
        )
    })
}

/// The refusal of a failed fetch: the runtime's egress guard is recognised by its error type.
fn fetch_failed(e: &reqwest::Error) -> Refusal {
    if toolwire_runtime::http::is_egress_refusal(e) {
        Refusal::PrivateAddress
    } else if e.is_timeout() {
        Refusal::Timeout
    } else {
        Refusal::Unreachable
    }
}

/// `Some(lifetime)` to cache the answer for, `None` not to.
fn cache_lifetime(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let Some(cc) = headers
        .get(reqwest::header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
    else {
        return Some(DEFAULT_CACHE);
    };
    let mut max_age = None;
    for part in cc.split(',').map(str::trim) {
        let lower = part.to_ascii_lowercase();
        if lower == "no-store" || lower == "no-cache" {
            return None;
        }
        if let Some(v) = lower.strip_prefix("max-age=") {
            max_age = v.trim_matches('"').parse::<u64>().ok();
        }
    }
    match max_age {
        Some(0) => None,
        Some(s) => Some(Duration::from_secs(s).min(MAX_CACHE)),
        None => Some(DEFAULT_CACHE),
    }
}

async fn read_limited(mut resp: reqwest::Response) -> Result<Vec<u8>, Refusal> {
    if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(Refusal::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|_| Refusal::Unreadable)? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BYTES {
            return Err(Refusal::TooLarge);
        }
    }
    Ok(body)
}

/// The client a document describes, if it is one this server accepts for `client_id`.
fn parse(client_id: &str, body: &[u8]) -> Result<Client, Refusal> {
    let doc: Value = serde_json::from_slice(body).map_err(|_| Refusal::NotJson)?;
    let Some(doc) = doc.as_object() else {
        return Err(Refusal::NotAnObject);
    };
    if doc.get("client_id").and_then(Value::as_str) != Some(client_id) {
        return Err(Refusal::OtherClientId);
    }
    if doc.contains_key("client_secret") {
        return Err(Refusal::HasSecret);
    }
    match doc
        .get("token_endpoint_auth_method")
        .and_then(Value::as_str)
    {
        None | Some("none") => {}
        Some(_) => return Err(Refusal::NotPublic),
    }
    let redirect_uris: Vec<String> = doc
        .get("redirect_uris")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if redirect_uris.is_empty()
        || redirect_uris.len() > MAX_REDIRECT_URIS
        || !redirect_uris.iter().all(|u| redirect_ok(u))
    {
        return Err(Refusal::RedirectUris);
    }
    let name = doc
        .get("client_name")
        .and_then(Value::as_str)
        .unwrap_or("An MCP client");
    // The host vouches for the name (the draft asks that users see it): "Name (host)".
    let host = url::Url::parse(client_id)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    Ok(Client {
        name: format!("{} ({host})", super::client::display_name(name)),
        redirect_uris,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "https://app.example/oauth/client.json";

    #[test]
    fn a_document_must_name_its_own_url_and_be_public() {
        let ok = serde_json::json!({"client_id": ID, "client_name": "App",
            "redirect_uris": ["http://127.0.0.1:3000/cb"]});
        assert_eq!(
            parse(ID, ok.to_string().as_bytes()).unwrap().name,
            "App (app.example)"
        );
        for (doc, why) in [
            (
                serde_json::json!({"client_id": "https://other.example/c.json",
                "redirect_uris": ["https://a.example/cb"]}),
                Refusal::OtherClientId,
            ),
            (
                serde_json::json!({"client_id": ID, "redirect_uris": []}),
                Refusal::RedirectUris,
            ),
            (
                serde_json::json!({"client_id": ID, "redirect_uris": ["http://a.example/cb"]}),
                Refusal::RedirectUris,
            ),
            (
                serde_json::json!({"client_id": ID, "client_secret": "s",
                "redirect_uris": ["https://a.example/cb"]}),
                Refusal::HasSecret,
            ),
            (
                serde_json::json!({"client_id": ID, "token_endpoint_auth_method": "client_secret_basic",
                "redirect_uris": ["https://a.example/cb"]}),
                Refusal::NotPublic,
            ),
        ] {
            assert_eq!(parse(ID, doc.to_string().as_bytes()).unwrap_err(), why);
        }
        assert_eq!(parse(ID, b"[1]").unwrap_err(), Refusal::NotAnObject);
        assert_eq!(parse(ID, b"{").unwrap_err(), Refusal::NotJson);
    }

    #[test]
    fn urls_follow_the_draft_and_the_egress_rules() {
        let docs = ClientDocuments::default();
        assert!(docs.check_url(ID).is_ok());
        for bad in [
            "https://app.example/",
            "https://app.example/a#f",
            "https://u:p@app.example/c.json",
            "https://app.example/a/../c.json",
            "http://app.example/c.json",
        ] {
            assert_eq!(docs.check_url(bad).unwrap_err(), Refusal::BadUrl, "{bad}");
        }
        for private in [
            "https://127.0.0.1/c.json",
            "https://[::1]/c.json",
            "https://10.0.0.1/c.json",
            "https://localhost/c.json",
            "https://intranet/c.json",
            "https://printer.local/c.json",
        ] {
            assert_eq!(
                docs.check_url(private).unwrap_err(),
                Refusal::PrivateAddress,
                "{private}"
            );
        }
    }

    /// The egress guard's refusal is recognised by its type, whatever its message says.
    #[tokio::test]
    async fn a_name_the_guard_refuses_is_a_private_address_refusal() {
        let guarded =
            toolwire_runtime::http::guarded_client(&HttpOptions::default(), false).unwrap();
        let e = guarded
            .get("https://localhost:9/c.json")
            .send()
            .await
            .unwrap_err();
        assert_eq!(fetch_failed(&e), Refusal::PrivateAddress, "{e:?}");
        // Any other failure to connect is not.
        let open = toolwire_runtime::http::guarded_client(&HttpOptions::default(), true).unwrap();
        let e = open
            .get("https://localhost:9/c.json")
            .send()
            .await
            .unwrap_err();
        assert_eq!(fetch_failed(&e), Refusal::Unreachable, "{e:?}");
    }

    #[test]
    fn the_page_says_which_fetch_limit_was_reached_and_when_to_retry() {
        let host = Refusal::TooManyFetches {
            of: Exhausted::Host,
            retry_after_s: 6,
        };
        assert_eq!(host.retry_after_s(), Some(6));
        assert!(host.to_string().contains("its host") && host.to_string().contains("6 s"));
        assert_eq!(
            Refusal::Status(404).to_string(),
            "its document answered HTTP 404"
        );
        assert_eq!(Refusal::Timeout.retry_after_s(), None);
    }

    #[test]
    fn cache_control_sets_how_long_a_document_is_kept() {
        let h = |v: &str| {
            let mut m = reqwest::header::HeaderMap::new();
            m.insert(reqwest::header::CACHE_CONTROL, v.parse().unwrap());
            cache_lifetime(&m)
        };
        assert_eq!(h("public, max-age=60"), Some(Duration::from_secs(60)));
        assert_eq!(h("max-age=999999999"), Some(MAX_CACHE));
        assert_eq!(h("no-store"), None);
        assert_eq!(h("max-age=0"), None);
        assert_eq!(cache_lifetime(&Default::default()), Some(DEFAULT_CACHE));
    }
}
