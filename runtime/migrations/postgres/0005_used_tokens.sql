-- One-time tokens already spent (magic links and the like), by hash, until they expire.
CREATE TABLE used_tokens (
    token_hash TEXT        NOT NULL PRIMARY KEY,
    kind       TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
