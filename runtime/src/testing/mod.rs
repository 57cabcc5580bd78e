//! Fixtures for the runtime's unit tests: small made-up connector specs, so tests of a spec
//! feature do not depend on a real connector's file in `connectors/`.

/// A chat service with an OAuth flow declaring `scope_params`, `client_auth: basic` and a
/// `token_response` map (nested user token, a config value), a bot-token scheme, and a tool
/// that needs the user token (`credential: {token, scope}`).
pub(crate) fn chat_spec() -> toolwire_spec::ConnectorSpec {
    toolwire_spec::load_str("testing/chat.yaml", include_str!("chat.yaml"))
        .expect("the chat fixture spec is valid")
}

/// A service whose base URL is an org's own address: a config value (an https origin) filled in
/// from the token answer and checked against `egress.hosts`, beside an ordinary config value.
pub(crate) fn orgs_spec() -> toolwire_spec::ConnectorSpec {
    toolwire_spec::load_str("testing/orgs.yaml", include_str!("orgs.yaml"))
        .expect("the orgs fixture spec is valid")
}
