-- Per-identifier access tokens for MCP clients (minted over REST or issued by the OAuth
-- token endpoint), by the SHA-256 of the token: the token itself is never stored.
CREATE TABLE access_tokens (
    id          UUID        NOT NULL PRIMARY KEY,
    token_hash  TEXT        NOT NULL UNIQUE,
    identifier  TEXT        NOT NULL,
    toolset     TEXT,
    read_only   BIGINT      NOT NULL,
    audience    TEXT,
    client_id   TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ
);

CREATE INDEX access_tokens_identifier_idx ON access_tokens (identifier, created_at);
