//! The local HTTPS stand-in: a throwaway CA and one server certificate for every host the
//! connector uses, a hyper server on 127.0.0.1, and a script — the exchanges of the step
//! running now. Each request is recorded and answered with the next scripted response; a
//! request beyond the script gets a 418 (never retried) so the step ends and the runner can
//! report it.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, Response as HttpResponse, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::error::{Result, TestkitError};
use crate::model::Response;

/// A request as the stand-in received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// Method.
    pub method: String,
    /// Host (from the Host header or the URI authority, without port).
    pub host: String,
    /// Path, percent-encoded as sent.
    pub path: String,
    /// Query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

#[derive(Default)]
struct Script {
    responses: Vec<Response>,
    received: Vec<Received>,
}

/// A running stand-in; stops when dropped.
pub struct StandIn {
    addr: SocketAddr,
    ca_pem: String,
    script: Arc<Mutex<Script>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl StandIn {
    /// Starts a stand-in whose certificate names `hosts`.
    pub async fn start(hosts: &[String]) -> Result<StandIn> {
        let (config, ca_pem) = tls(hosts).map_err(TestkitError::StandIn)?;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| TestkitError::StandIn(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| TestkitError::StandIn(e.to_string()))?;
        let script = Arc::new(Mutex::new(Script::default()));
        let acceptor = TlsAcceptor::from(config);
        let task = tokio::spawn(serve(listener, acceptor, script.clone()));
        Ok(StandIn {
            addr,
            ca_pem,
            script,
            task,
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The throwaway CA (PEM) to trust.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Sets the answers for the next step and forgets earlier requests.
    pub fn script(&self, responses: Vec<Response>) {
        let mut s = self.script.lock().expect("script lock");
        s.responses = responses;
        s.received.clear();
    }

    /// The requests received since the last [`script`](Self::script).
    pub fn received(&self) -> Vec<Received> {
        self.script.lock().expect("script lock").received.clone()
    }
}

fn tls(hosts: &[String]) -> std::result::Result<(Arc<ServerConfig>, String), String> {
    let e = |e: rcgen::Error| e.to_string();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(e)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "toolwire cassette stand-in CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().map_err(e)?).map_err(e)?;
    let mut names: Vec<String> = hosts.to_vec();
    names.push("localhost".into());
    let mut leaf = CertificateParams::new(names).map_err(e)?;
    leaf.distinguished_name
        .push(DnType::CommonName, "toolwire cassette stand-in");
    let leaf_key = KeyPair::generate().map_err(e)?;
    let leaf_cert = leaf.signed_by(&leaf_key, &ca).map_err(e)?;
    let chain = vec![
        leaf_cert.der().clone(),
        CertificateDer::from(ca.der().to_vec()),
    ];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok((Arc::new(config), ca.pem()))
}

async fn serve(listener: TcpListener, acceptor: TlsAcceptor, script: Arc<Mutex<Script>>) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let script = script.clone();
        tokio::spawn(async move {
            let Ok(stream) = acceptor.accept(tcp).await else {
                return;
            };
            let svc = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let script = script.clone();
                async move { Ok::<_, Infallible>(answer(&script, req.map(Body::new)).await) }
            });
            let _ = Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

async fn answer(script: &Mutex<Script>, req: Request<Body>) -> HttpResponse<Body> {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    let host = parts
        .headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let host = host
        .rsplit_once(':')
        .map_or(host.clone(), |(h, _)| h.to_string());
    let received = Received {
        method: parts.method.as_str().to_string(),
        host: host.to_ascii_lowercase(),
        path: parts.uri.path().to_string(),
        query: parts
            .uri
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let planned = {
        let mut s = script.lock().expect("script lock");
        let n = s.received.len();
        s.received.push(received);
        s.responses.get(n).cloned()
    };
    match planned {
        Some(r) => response(&r),
        None => HttpResponse::builder()
            .status(StatusCode::IM_A_TEAPOT)
            .header("content-type", "text/plain")
            .body(Body::from(
                "the cassette lists no more exchanges for this step",
            ))
            .expect("static response"),
    }
}

fn response(r: &Response) -> HttpResponse<Body> {
    let mut b = HttpResponse::builder().status(r.status);
    let has_type = r
        .headers
        .keys()
        .any(|k| k.eq_ignore_ascii_case("content-type"));
    for (k, v) in &r.headers {
        let v = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        b = b.header(k.as_str(), v);
    }
    let body = match (&r.json, &r.text) {
        (Some(json), _) => {
            if !has_type {
                b = b.header("content-type", "application/json; charset=utf-8");
            }
            Body::from(serde_json::to_vec(json).unwrap_or_default())
        }
        (None, Some(text)) => {
            if !has_type {
                b = b.header("content-type", "text/plain; charset=utf-8");
            }
            Body::from(text.clone())
        }
        (None, None) => Body::empty(),
    };
    b.body(body).unwrap_or_else(|e| {
        HttpResponse::builder()
            .status(StatusCode::INTERNAL_SERVER_ERROR)
            .body(Body::from(format!("bad scripted response: {e}")))
            .expect("static response")
    })
}
