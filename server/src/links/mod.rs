//! Magic links: signed, expiring, single-use URLs bound to (connection, identifier) that open
//! the onboarding page. [`LinkSigner`] owns the server secret and every MAC made from it
//! (links, CSRF tokens, admin sessions — each under its own purpose label); [`rest`] has the
//! `/v1` routes that mint links and start OAuth authorizations.
//!
//! A token is `base64url(payload) "." base64url(tag)`, where `payload` is JSON naming the
//! connection, the identifier, the issue time (µs), the expiry and a random nonce, and `tag` is
//! what [`LinkSigner::mac`] makes of it under the purpose `magic-link/v1`:
//! `HMAC-SHA256(secret, "toolwire/" ‖ purpose ‖ 0x00 ‖ len(payload) as u64 big-endian ‖ payload)`
//! (the purpose label keeps a link's tag from passing as a CSRF token's or a session's). Single use, decided by the store: a save first spends the link with
//! [`Store::spend_token`](toolwire_runtime::Store::spend_token) (one atomic insert on the
//! token's id, so two attempts — on two replicas too — cannot both hold it) and gives it back
//! only if the save fails; a spent link stays refused even after its account is deleted. A
//! link is also void once its account's credentials change after it was issued.

mod b64;
mod error;
pub mod rest;
mod signer;
mod token;

use chrono::Duration;

pub(crate) use b64::{b64, unb64};
pub use error::LinkError;
pub use signer::LinkSigner;
pub use token::{LinkClaims, MagicLink};

/// How long a magic link lives unless asked otherwise.
pub const DEFAULT_TTL: Duration = Duration::minutes(30);
/// The `spend_token` kind of magic links.
pub const SPEND_KIND: &str = "magic_link";
