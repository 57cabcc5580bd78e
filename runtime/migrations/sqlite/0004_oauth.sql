-- OAuth authorization attempts: single-use, expiring states bound to (connection, identifier),
-- each with its PKCE verifier sealed by the vault.
CREATE TABLE oauth_states (
    state_hash   TEXT NOT NULL PRIMARY KEY,
    connection   TEXT NOT NULL,
    identifier   TEXT NOT NULL,
    scheme       TEXT NOT NULL,
    config       TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    verifier     BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at);
