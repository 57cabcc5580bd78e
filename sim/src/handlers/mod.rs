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

/// The list URL of the current request for pagination links.
pub fn list_url<'a>(origin: &'a str, cx: &'a Ctx) -> ListUrl<'a> {
    ListUrl { origin, path: &cx.path, query: &cx.query }
}
