//! The OpenAPI 3.1 document of the whole app, served without auth at `GET /openapi.json`. Each
//! surface documents its own routes from the handlers' `#[utoipa::path]` annotations and the
//! typed bodies they return (`ToSchema`; the same types are what goes on the wire, so the
//! document cannot drift from the JSON) — [`crate::rest::openapi`],
//! [`crate::links::rest::openapi`], [`crate::mcp::http::openapi`], [`crate::metrics::openapi`],
//! [`crate::ui::openapi`]; this module adds the info, the tags and the `api_key` security
//! scheme and merges them. `server/tests/openapi.rs` checks that every route in the sources is
//! documented and that every documented operation is routed.

use axum::Json;
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::web::ErrorBody;

/// The document's frame (see the module docs).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "toolwire",
        description = "Connected accounts, tool catalog and tool execution for AI agents. \
            Every `/v1/*` route, `/mcp` and `/metrics` need `Authorization: Bearer <api key>` \
            (`/mcp` also takes an end user's MCP access token, `mcp_token`); \
            after repeated wrong keys a client address gets 429 `AUTH_THROTTLED` (with \
            `Retry-After`) for a while. Every error is `ErrorBody` with a stable code.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    paths(serve),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Connected accounts: one per (connection, identifier)"),
        (name = "tools", description = "Tool catalog and execution"),
        (name = "mcp", description = "Model Context Protocol over streamable HTTP"),
        (name = "ops", description = "Health, readiness, metrics, this document"),
        (name = "ui", description = "Server-rendered onboarding and admin pages (HTML, for browsers)")
    )
)]
struct ApiDoc;

/// The `api_key` bearer security scheme.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key (TOOLWIRE_API_KEY or DATA_DIR/api.key)"))
                    .build(),
            ),
        );
    }
}

/// The document as JSON.
pub fn document() -> Value {
    let doc = ApiDoc::openapi()
        .merge_from(crate::rest::openapi())
        .merge_from(crate::links::rest::openapi())
        .merge_from(crate::mcp::http::openapi())
        .merge_from(crate::authz::oauth::openapi())
        .merge_from(crate::metrics::openapi())
        .merge_from(crate::ui::openapi());
    serde_json::to_value(doc).unwrap_or_default()
}

/// `GET /openapi.json`.
#[utoipa::path(get, path = "/openapi.json", tag = "ops",
    responses((status = 200, description = "This document", body = Object)))]
pub async fn serve() -> Json<Value> {
    Json(document())
}
