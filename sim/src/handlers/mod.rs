//! Endpoint handlers, one file per resource. Each takes the locked tenant and a [`Ctx`]
//! and returns a [`Res`](crate::api::reply::Res).

pub mod comments;
pub mod orgs;
pub mod search;
pub mod tags;
pub mod tickets;
pub mod users;
pub mod views;

mod write;

use crate::api::ctx::Ctx;
use crate::api::pagination::ListUrl;

/// The list URL of the current request for pagination links (the tenant's canonical origin,
/// or the request's own origin when `local_links` is on and the Host is not `*.zendesk.com`).
pub fn list_url<'a>(origin: &'a str, cx: &'a Ctx) -> ListUrl<'a> {
    ListUrl {
        origin: cx.link_origin.as_deref().unwrap_or(origin),
        path: &cx.path,
        query: &cx.query,
    }
}
