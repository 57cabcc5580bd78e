//! Fixtures for the runtime's unit tests: small made-up connector specs, so tests of a spec
//! feature do not depend on a real connector's file in `connectors/`.

/// A chat service with an OAuth flow declaring `scope_params`, `client_auth: basic` and a
/// `token_response` map (nested user token, a config value), a bot-token scheme, and a tool
/// that needs the user token (`credential: {token, scope}`).
pub(crate) fn chat_spec() -> toolwire_spec::ConnectorSpec {
    toolwire_spec::load_str("testing/chat.yaml", include_str!("chat.yaml"))
        .expect("the chat fixture spec is valid")
}
