-- OAuth authorization attempts: single-use, expiring states bound to (connection, identifier),
-- each with its PKCE verifier sealed by the vault.
CREATE TABLE oauth_states (
    state_hash   TEXT        NOT NULL PRIMARY KEY,
    connection   TEXT        NOT NULL,
    identifier   TEXT        NOT NULL,
    scheme       TEXT        NOT NULL,
    config       TEXT        NOT NULL,
    redirect_uri TEXT        NOT NULL,
    verifier     BYTEA       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);
CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at);
