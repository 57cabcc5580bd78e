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

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use toolwire_runtime::http::HttpOptions;

use super::client::{Client, redirect_ok};

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

/// Fetches and caches clients' metadata documents.
pub struct ClientDocuments {
    http: Option<reqwest::Client>,
    allow_private: bool,
    cache: Mutex<HashMap<String, (Client, Instant)>>,
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
        ClientDocuments {
            http: toolwire_runtime::http::guarded_client(options, allow_private).ok(),
            allow_private,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `client_id` names a metadata document (an `https` URL).
    pub fn is_document_id(client_id: &str) -> bool {
        client_id.starts_with("https://")
    }

    /// The client `client_id`'s document describes, or why it cannot be used (a sentence for
    /// the user).
    pub async fn lookup(&self, client_id: &str) -> Result<Client, String> {
        if let Some(client) = self.cached(client_id) {
            return Ok(client);
        }
        let url = self.check_url(client_id)?;
        let http = self
            .http
            .as_ref()
            .ok_or("this server cannot fetch client documents")?;
        let resp = http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| fetch_failed(&e))?;
        if resp.status() != reqwest::StatusCode::OK {
            return Err(format!(
                "its document answered HTTP {}",
                resp.status().as_u16()
            ));
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
    fn check_url(&self, client_id: &str) -> Result<url::Url, String> {
        let url = url::Url::parse(client_id).map_err(|_| "its client_id is not a URL")?;
        if url.scheme() != "https"
            || url.fragment().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
            || url.path() == "/"
            || client_id.len() > 2000
            || has_dot_segment(client_id)
        {
            return Err(
                "its client_id must be an https URL with a path, without a fragment, \
                 credentials or dot segments"
                    .into(),
            );
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
            return Err("its document is on a private or local address".into());
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

/// What the runtime's guarded resolver says when a name resolves to a non-public address.
const GUARD_REFUSED: &str = "resolves to a private or local address";

fn fetch_failed(e: &reqwest::Error) -> String {
    let chain = std::iter::successors(Some(e as &dyn std::error::Error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
    if chain.contains(GUARD_REFUSED) {
        "its document is on a private or local address".into()
    } else if e.is_timeout() {
        format!("its document did not answer within {} s", TIMEOUT.as_secs())
    } else {
        "its document could not be fetched".into()
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

async fn read_limited(mut resp: reqwest::Response) -> Result<Vec<u8>, String> {
    let too_large = || format!("its document is larger than {MAX_BYTES} bytes");
    if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|_| "its document could not be read")?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BYTES {
            return Err(too_large());
        }
    }
    Ok(body)
}

/// The client a document describes, if it is one this server accepts for `client_id`.
fn parse(client_id: &str, body: &[u8]) -> Result<Client, String> {
    let doc: Value = serde_json::from_slice(body).map_err(|_| "its document is not JSON")?;
    let Some(doc) = doc.as_object() else {
        return Err("its document is not a JSON object".into());
    };
    if doc.get("client_id").and_then(Value::as_str) != Some(client_id) {
        return Err("its document names another client_id than its URL".into());
    }
    if doc.contains_key("client_secret") {
        return Err("its document holds a client_secret (a document is public)".into());
    }
    match doc
        .get("token_endpoint_auth_method")
        .and_then(Value::as_str)
    {
        None | Some("none") => {}
        Some(_) => {
            return Err(
                "its document asks for a token_endpoint_auth_method other than none \
                 (this server takes public clients with PKCE)"
                    .into(),
            );
        }
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
        || redirect_uris.len() > 10
        || !redirect_uris.iter().all(|u| redirect_ok(u))
    {
        return Err(
            "its document must list 1 to 10 redirect_uris, each https (or http on a \
             loopback host), without a fragment"
                .into(),
        );
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
                "another client_id",
            ),
            (
                serde_json::json!({"client_id": ID, "redirect_uris": []}),
                "redirect_uris",
            ),
            (
                serde_json::json!({"client_id": ID, "redirect_uris": ["http://a.example/cb"]}),
                "redirect_uris",
            ),
            (
                serde_json::json!({"client_id": ID, "client_secret": "s",
                "redirect_uris": ["https://a.example/cb"]}),
                "client_secret",
            ),
            (
                serde_json::json!({"client_id": ID, "token_endpoint_auth_method": "client_secret_basic",
                "redirect_uris": ["https://a.example/cb"]}),
                "token_endpoint_auth_method",
            ),
        ] {
            let e = parse(ID, doc.to_string().as_bytes()).unwrap_err();
            assert!(e.contains(why), "{e}");
        }
        assert!(parse(ID, b"[1]").unwrap_err().contains("object"));
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
            assert!(
                docs.check_url(bad).unwrap_err().contains("https URL"),
                "{bad}"
            );
        }
        for private in [
            "https://127.0.0.1/c.json",
            "https://[::1]/c.json",
            "https://10.0.0.1/c.json",
            "https://localhost/c.json",
            "https://intranet/c.json",
            "https://printer.local/c.json",
        ] {
            assert!(
                docs.check_url(private).unwrap_err().contains("private"),
                "{private}"
            );
        }
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
