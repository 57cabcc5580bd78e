//! OAuth 2.0 authorization code + PKCE, the protocol side, driven by a spec's
//! `oauth2_authorization_code` scheme: which scheme a connector offers and its endpoint URLs
//! (https on the account's host only), the authorize request with a single-use, expiring state
//! and the PKCE verifier sealed until the callback, and the token endpoint (code exchange,
//! refresh, expiry and granted scopes of stored tokens).
//!
//! Nothing here reads or writes accounts: the flow handle ([`OAuth`](crate::OAuth): start,
//! complete) and the engine's refresh (before expiry and on `invalid_token`, single-flight per
//! account across processes) put these pieces to work.

mod answer;
mod authorize;
mod form_body;
mod pkce;
mod scheme;
mod token;

pub use authorize::AuthorizationRequest;
pub use token::OAuthClient;

pub(crate) use answer::{TokenAnswer, mapping as token_mapping};
pub(crate) use authorize::{NewAuthorization, new_authorization, verifier_aad};
pub(crate) use pkce::hash_hex;
pub(crate) use scheme::{find as find_scheme, render_url};
pub(crate) use token::{TokenError, expiring, granted_scopes, request as token_request, skew};
