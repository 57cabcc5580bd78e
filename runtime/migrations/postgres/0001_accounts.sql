-- Connected accounts: (connection, identifier) -> config + encrypted credentials + status.
-- config is canonical JSON kept as text (exact bytes matter: they are bound into the vault's AAD).
CREATE TABLE accounts (
    id                     UUID        NOT NULL PRIMARY KEY,
    connection             TEXT        NOT NULL,
    identifier             TEXT        NOT NULL,
    status                 TEXT        NOT NULL,
    status_reason          TEXT,
    status_message         TEXT,
    auth_scheme            TEXT,
    config                 TEXT        NOT NULL DEFAULT '{}',
    credentials            BYTEA,
    key_id                 BIGINT,
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    last_used_at           TIMESTAMPTZ,
    credentials_updated_at TIMESTAMPTZ,
    version                BIGINT      NOT NULL DEFAULT 1,
    UNIQUE (connection, identifier),
    CHECK ((credentials IS NULL) = (key_id IS NULL))
);

CREATE INDEX accounts_status_idx ON accounts (status);
CREATE INDEX accounts_key_id_idx ON accounts (key_id);

CREATE TABLE account_status_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  UUID        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    message     TEXT,
    at          TIMESTAMPTZ NOT NULL
);

CREATE INDEX account_status_history_account_idx ON account_status_history (account_id, id);
