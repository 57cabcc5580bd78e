//! Harness for the onboarding-UI tests: the real simulator (HTTPS, with its `toolwire_demo`
//! OAuth client configured on the `zendesk` connection), a SQLite vault in a temp dir, the
//! full router with the UI on 127.0.0.1:0, a reqwest client that keeps no cookies and follows
//! no redirects (tests handle both by hand), and a second client that reaches the sim.

#![allow(dead_code)]

use std::net::SocketAddr;

use toolwire_runtime::MasterKey;
use toolwire_server::app::{self, AppState};
use toolwire_server::links::LinkSigner;
use toolwire_server::setup::{self, OAuthClientConfig, RuntimeOptions};
use toolwire_server::web::ApiKeys;
use toolwire_sim::Sim;

pub const API_KEY: &str = "tw_ui_test_key_0123456789";

pub struct Ui {
    pub sim: Sim,
    pub base: String,
    pub http: reqwest::Client,
    /// Reaches `https://*.zendesk.com` on the sim (its CA trusted, names resolved to it).
    pub vendor: reqwest::Client,
    pub dir: tempfile::TempDir,
    _server: tokio::task::JoinHandle<()>,
}

/// One HTTP answer.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// `name=value` of each Set-Cookie (attributes dropped).
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
            .collect()
    }

    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|_| panic!("JSON, got {}: {}", self.status, self.body))
    }
}

pub fn connectors() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../connectors")
}

impl Ui {
    pub async fn start() -> Ui {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let sim = Sim::builder().seed(42).start().await.expect("sim starts");
        let dir = tempfile::tempdir().expect("tempdir");
        let listener = app::bind("127.0.0.1:0".parse::<SocketAddr>().unwrap())
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let opts = RuntimeOptions {
            data_dir: dir.path().to_path_buf(),
            connectors: Some(connectors()),
            extra_root_pem: Some(sim.ca_pem()),
            resolve: vec![("zendesk.com".into(), sim.addr())],
            link_base: Some(base.clone()),
            ..Default::default()
        };
        let demo = sim
            .tenant("acme")
            .unwrap()
            .oauth_client("toolwire_demo")
            .expect("the sim's demo OAuth client")
            .clone();
        let clients = [OAuthClientConfig {
            connection: "zendesk".into(),
            client_id: demo.identifier.clone(),
            client_secret: demo.secret.clone().into(),
        }];
        let tw = setup::build_with(&opts, MasterKey::generate(), &clients)
            .await
            .expect("toolwire builds");
        let state = AppState::new(tw, ApiKeys::default().with_key(API_KEY))
            .with_ui(setup::ui_state(&opts, &clients).expect("ui state"));
        let server = tokio::spawn(async move {
            app::serve(listener, app::router(state), std::future::pending())
                .await
                .expect("serve");
        });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        use rustls::pki_types::{CertificateDer, pem::PemObject as _};
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(sim.ca_pem().as_bytes()) {
            roots.add(cert.unwrap()).unwrap();
        }
        let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let mut vendor = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls);
        for sub in ["acme", "globex"] {
            vendor = vendor.resolve(&format!("{sub}.zendesk.com"), sim.addr());
        }
        Ui {
            sim,
            base,
            http,
            vendor: vendor.build().unwrap(),
            dir,
            _server: server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The same link signer as the server's (same data dir secret).
    pub fn signer(&self) -> LinkSigner {
        LinkSigner::load(self.dir.path(), &self.base).unwrap()
    }

    pub async fn answer(req: reqwest::RequestBuilder) -> Answer {
        let resp = req.send().await.expect("request");
        Answer {
            status: resp.status().as_u16(),
            headers: resp.headers().clone(),
            body: resp.text().await.expect("body"),
        }
    }

    /// `POST .../magic_link` → the link URL.
    pub async fn magic_link(&self, identifier: &str) -> String {
        let a = Self::answer(
            self.http
                .post(self.url(&format!(
                    "/v1/connected_accounts/zendesk/{identifier}/magic_link"
                )))
                .bearer_auth(API_KEY),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()["url"].as_str().unwrap().to_string()
    }

    /// GET a page with optional cookies.
    pub async fn get(&self, url: &str, cookies: &[String]) -> Answer {
        let mut req = self.http.get(url);
        if !cookies.is_empty() {
            req = req.header("cookie", cookies.join("; "));
        }
        Self::answer(req).await
    }

    /// POST a form with optional cookies.
    pub async fn post_form(&self, url: &str, cookies: &[String], form: &[(&str, &str)]) -> Answer {
        let mut req = self.http.post(url).form(form);
        if !cookies.is_empty() {
            req = req.header("cookie", cookies.join("; "));
        }
        Self::answer(req).await
    }

    /// Opens the link: (page, cookies to send back, csrf field).
    pub async fn open(&self, link: &str) -> (Answer, Vec<String>, String) {
        let page = self.get(link, &[]).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let cookies = page.cookies();
        let csrf = hidden(&page.body, "csrf").expect("csrf field");
        (page, cookies, csrf)
    }

    pub async fn account(&self, identifier: &str) -> serde_json::Value {
        let a = Self::answer(
            self.http
                .get(self.url(&format!("/v1/connected_accounts/zendesk/{identifier}")))
                .bearer_auth(API_KEY),
        )
        .await;
        a.json()
    }

    pub fn agent(&self, sub: &str) -> toolwire_sim::AgentCredentials {
        self.sim.tenant(sub).unwrap().agent().unwrap().clone()
    }

    /// Follows the sim's sign-in and consent pages like a browser (pressing Allow); returns
    /// the callback URL the vendor redirects to.
    pub async fn consent(&self, authorize_url: &str, email: &str, password: &str) -> String {
        let page = Self::answer(self.vendor.get(authorize_url)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let sub = url::Url::parse(authorize_url).unwrap();
        let origin = format!("https://{}", sub.host_str().unwrap());
        let mut form = inputs(&page.body);
        form.retain(|(n, _)| n != "email" && n != "password");
        form.push(("email".into(), email.into()));
        form.push(("password".into(), password.into()));
        let consent = Self::answer(
            self.vendor
                .post(format!("{origin}/oauth/authorizations/new"))
                .form(&form),
        )
        .await;
        assert_eq!(consent.status, 200, "{}", consent.body);
        let nonce = hidden(&consent.body, "nonce").expect("consent nonce");
        let back = Self::answer(
            self.vendor
                .post(format!("{origin}/oauth/authorizations"))
                .form(&[("nonce", nonce.as_str()), ("decision", "allow")]),
        )
        .await;
        assert_eq!(back.status, 302, "{}", back.body);
        back.header("location").to_string()
    }
}

/// The `value` of `<input name="{name}" ...>` in `html` (attribute order free).
pub fn hidden(html: &str, name: &str) -> Option<String> {
    inputs(html)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// Every `<input>`'s (name, value), HTML entities of values decoded (`&amp;`, `&quot;`, `&#x3D;`).
pub fn inputs(html: &str) -> Vec<(String, String)> {
    html.split("<input")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            let attr = |a: &str| {
                let start = tag.find(&format!(" {a}=\""))? + a.len() + 3;
                let end = tag[start..].find('"')? + start;
                Some(unescape(&tag[start..end]))
            };
            Some((attr("name")?, attr("value").unwrap_or_default()))
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x3D;", "=")
        .replace("&#x27;", "'")
        .replace("&#x60;", "`")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
