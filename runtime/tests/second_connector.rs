//! A second, non-Zendesk spec (tests/specs/acme_crm.yaml: bearer auth, an API key in a header,
//! cursor pagination from a response field, an idempotent POST, a DELETE) through the same
//! engine, against a small HTTPS stand-in for that vendor written here. Nothing in the runtime
//! knows either API.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{delete, get};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{Value, json};
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};

const TOKEN: &str = "crm-token-1";
const KEY: &str = "crm-key-1";

#[derive(Default)]
struct Crm {
    contacts: BTreeMap<String, Value>,
    seen_keys: BTreeMap<String, String>,
    posts: usize,
}

type Shared = Arc<Mutex<Crm>>;

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {TOKEN}"))
        || headers.get("x-acme-key").and_then(|v| v.to_str().ok()) == Some(KEY)
}

async fn me(headers: HeaderMap) -> impl IntoResponse {
    if authorized(&headers) {
        (StatusCode::OK, Json(json!({"id": "usr_1"})))
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "unauthorized"})),
        )
    }
}

async fn create(
    State(crm): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> impl IntoResponse {
    if !authorized(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "unauthorized"})),
        );
    }
    let mut crm = crm.lock().unwrap();
    crm.posts += 1;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Some(id) = crm.seen_keys.get(&key) {
        return (StatusCode::OK, Json(json!({"data": crm.contacts[id]})));
    }
    if body
        .get("email")
        .and_then(Value::as_str)
        .is_none_or(|e| !e.contains('@'))
    {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"errors": [{"field": "email", "message": "invalid"}]})),
        );
    }
    let id = format!("ct_{:04}", crm.contacts.len() + 1);
    let mut contact = body.clone();
    contact["id"] = json!(id);
    crm.contacts.insert(id.clone(), contact.clone());
    crm.seen_keys.insert(key, id);
    (StatusCode::CREATED, Json(json!({"data": contact})))
}

async fn list(
    State(crm): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> impl IntoResponse {
    if !authorized(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "unauthorized"})),
        );
    }
    let crm = crm.lock().unwrap();
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(2);
    let after = q.get("starting_after").cloned().unwrap_or_default();
    let page: Vec<&Value> = crm
        .contacts
        .iter()
        .filter(|(id, _)| id.as_str() > after.as_str())
        .map(|(_, c)| c)
        .take(limit)
        .collect();
    let last = page
        .last()
        .and_then(|c| c["id"].as_str())
        .map(str::to_string);
    let more = last
        .as_ref()
        .is_some_and(|l| crm.contacts.keys().any(|k| k > l));
    (
        StatusCode::OK,
        Json(json!({"data": page, "next_cursor": if more { json!(last) } else { Value::Null }})),
    )
}

async fn remove(
    State(crm): State<Shared>,
    headers: HeaderMap,
    Path((_ws, id)): Path<(String, String)>,
) -> impl IntoResponse {
    if !authorized(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "unauthorized"})),
        );
    }
    match crm.lock().unwrap().contacts.remove(&id) {
        Some(_) => (StatusCode::OK, Json(json!({"deleted": true, "id": id}))),
        None => (StatusCode::NOT_FOUND, Json(json!({"error": "not_found"}))),
    }
}

/// Starts the stand-in over HTTPS with its own CA; returns its address, CA PEM and state.
async fn start_crm() -> (SocketAddr, String, Shared) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["api.acme-crm.example".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let state: Shared = Arc::default();
    let app = axum::Router::new()
        .route("/v2/workspaces/{ws}/me", get(me))
        .route("/v2/workspaces/{ws}/contacts", get(list).post(create))
        .route("/v2/workspaces/{ws}/contacts/{id}", delete(remove))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, app) = (acceptor.clone(), app.clone());
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), TowerToHyperService::new(app))
                        .await;
                }
            });
        }
    });
    (addr, ca.pem(), state)
}

#[tokio::test]
async fn a_different_api_runs_through_the_same_engine() {
    let (addr, ca, crm) = start_crm().await;
    let dir = tempfile::tempdir().unwrap();
    let tw = Toolwire::builder()
        .store(Store::sqlite(dir.path().join("t.db")).await.unwrap())
        .master_key(MasterKey::generate())
        .connector_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/specs/acme_crm.yaml"
        ))
        .extra_root_pem(ca)
        .resolve_suffix("acme-crm.example", addr)
        .build()
        .await
        .unwrap();
    let config = json!({"workspace": " WS_demo1 "})
        .as_object()
        .unwrap()
        .clone();
    let wrong = tw
        .accounts()
        .set_credentials(
            "acme_crm",
            "u1",
            &config,
            None,
            Credentials::from_fields([("access_token", "nope")]),
        )
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), "INVALID_CREDENTIALS");
    for fields in [
        [("access_token", "crm-token-1\r\nX-Injected: 1")],
        [("key", "crm-key-1\n")],
    ] {
        let unsendable = tw
            .accounts()
            .set_credentials(
                "acme_crm",
                "u1",
                &config,
                None,
                Credentials::from_fields(fields),
            )
            .await
            .unwrap_err();
        assert_eq!(
            unsendable.code(),
            "INVALID_CREDENTIALS",
            "a token that cannot be a header is the user's to fix, not an outage: {unsendable}"
        );
        assert!(
            !unsendable.to_string().contains("X-Injected"),
            "{unsendable}"
        );
    }
    let account = tw
        .accounts()
        .set_credentials(
            "acme_crm",
            "u1",
            &config,
            None,
            Credentials::from_fields([("access_token", TOKEN)]),
        )
        .await
        .unwrap();
    assert_eq!(
        account.auth_scheme.as_deref(),
        Some("token"),
        "bearer scheme chosen by the fields given"
    );
    assert_eq!(
        account.config["workspace"], "ws_demo1",
        "normalised by the spec's steps"
    );
    tw.accounts()
        .set_credentials(
            "acme_crm",
            "u2",
            &config,
            None,
            Credentials::from_fields([("key", KEY)]),
        )
        .await
        .unwrap();

    for i in 0..5 {
        let out = tw
            .execute_tool(
                "u1",
                "acme_crm_contact_create",
                json!({"email": format!("p{i}@x.example"), "labels": ["vip"]}),
            )
            .await
            .unwrap();
        assert_eq!(out.data["lifecycle"], "lead", "schema default applied");
        assert!(
            out.data.get("full_name").is_none(),
            "absent optional dropped from the body"
        );
    }
    let bad = tw
        .execute_tool(
            "u1",
            "acme_crm_contact_create",
            json!({"email": "not-an-email"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        bad.code(),
        "INVALID_INPUT",
        "format checked before any request"
    );

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut input = json!({"limit": 2});
        if let Some(c) = &cursor {
            input["cursor"] = json!(c);
        }
        let page = tw
            .execute_tool("u2", "acme_crm_contacts_list", input)
            .await
            .unwrap();
        seen.extend(
            page.data["contacts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string()),
        );
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(
        seen,
        vec!["ct_0001", "ct_0002", "ct_0003", "ct_0004", "ct_0005"],
        "cursor pagination walks every page once"
    );

    tw.execute_tool(
        "u1",
        "acme_crm_contact_delete",
        json!({"contact_id": "ct_0003"}),
    )
    .await
    .unwrap();
    let gone = tw
        .execute_tool(
            "u1",
            "acme_crm_contact_delete",
            json!({"contact_id": "ct_0003"}),
        )
        .await
        .unwrap_err();
    assert_eq!(gone.code(), "NOT_FOUND");
    assert_eq!(crm.lock().unwrap().posts, 5);
}
