//! The HTTP vocabulary every surface shares, below them all (nothing here imports the app
//! shell or a surface's routes): API-key authentication ([`auth`]) with per-address throttling
//! of failures ([`throttle`]), the JSON request-body extractor ([`body`]) and the JSON error
//! body every failure becomes ([`errors`]). `errors` renders the server's error type
//! ([`crate::error::ServerError`]), which wraps the surfaces' own errors (e.g.
//! [`crate::links::LinkError`]), so that is the one way `web` reaches up.

pub mod auth;
pub mod body;
pub mod errors;
pub mod throttle;

pub use auth::{ApiAuth, ApiKeys};
pub use body::{BODY_LIMIT, JsonBody};
pub use errors::ErrorBody;
