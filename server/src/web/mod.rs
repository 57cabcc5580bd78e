//! The HTTP vocabulary every surface shares, below them all (nothing here imports a surface
//! or the app shell): API-key authentication ([`auth`]) with per-address throttling of
//! failures ([`throttle`]), the JSON request-body extractor ([`body`]) and the JSON error body
//! every failure becomes ([`errors`]).

pub mod auth;
pub mod body;
pub mod errors;
pub mod throttle;

pub use auth::{ApiAuth, ApiKeys};
pub use body::{BODY_LIMIT, JsonBody};
pub use errors::ErrorBody;
