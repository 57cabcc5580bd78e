//! `/healthz` (the process answers) and `/readyz` (the store answers).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use toolwire_runtime::{AccountFilter, Toolwire};
use utoipa::ToSchema;

/// `/healthz` and `/readyz` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, `ready` or `unavailable`.
    status: &'static str,
    /// The store's error code when unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
}

impl Health {
    fn is(status: &'static str) -> Self {
        Health { status, code: None }
    }
}

/// Liveness.
#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses((status = 200, description = "The process answers", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health::is("ok"))
}

/// Readiness: 200 when the store can be read, else 503.
#[utoipa::path(get, path = "/readyz", tag = "ops",
    responses((status = 200, description = "Ready", body = Health),
        (status = 503, description = "The store does not answer", body = Health)))]
pub async fn readyz(State(tw): State<Toolwire>) -> (StatusCode, Json<Health>) {
    match tw.accounts().list(&AccountFilter::default(), None, 1).await {
        Ok(_) => (StatusCode::OK, Json(Health::is("ready"))),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "unavailable",
                code: Some(e.code()),
            }),
        ),
    }
}
