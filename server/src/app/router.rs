//! [`router`]: the whole app — every surface's routes merged on one [`AppState`], the
//! OpenAPI document, the JSON 404 fallback, the layer that turns every non-JSON error into the
//! JSON shape, and request tracing.

use axum::Router;
use axum::routing::get;

use super::openapi;
use super::state::AppState;
use crate::web::errors::{json_errors, not_found};

/// The full router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .merge(crate::rest::routes(&state))
        .merge(crate::links::rest::routes(&state))
        .merge(crate::mcp::http::routes(&state))
        .merge(crate::authz::oauth::routes())
        .merge(crate::metrics::routes(&state))
        .merge(crate::ui::routes())
        .fallback(not_found)
        .layer(axum::middleware::map_response(json_errors))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// The tracing span of a request: method and the *route template* only. The raw URI is never
/// recorded, because some paths carry secrets (magic-link tokens in `/connect/{token}`, OAuth
/// codes in `/oauth/callback?code=`).
/// Borrowed: nothing is allocated while debug spans are off (the default).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |p| p.as_str());
    tracing::debug_span!("request", method = %request.method(), route = %route)
}
