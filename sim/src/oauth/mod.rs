//! OAuth endpoints (`/oauth/*`). Not implemented yet beyond bearer tokens minted through the
//! admin API; these answer like an unknown endpoint.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response};

use crate::api::{into_response, reply};
use crate::state::SimState;

pub async fn handle(_state: Arc<SimState>, _req: Request<Body>) -> Response<Body> {
    into_response(reply::invalid_endpoint(), None)
}
