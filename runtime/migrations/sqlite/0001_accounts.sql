-- Connected accounts: (connection, identifier) -> config + encrypted credentials + status.
-- Ids are UUIDs stored as 16-byte blobs; timestamps are RFC 3339 text; config is canonical JSON text.
CREATE TABLE accounts (
    id                     BLOB    NOT NULL PRIMARY KEY,
    connection             TEXT    NOT NULL,
    identifier             TEXT    NOT NULL,
    status                 TEXT    NOT NULL,
    status_reason          TEXT,
    status_message         TEXT,
    auth_scheme            TEXT,
    config                 TEXT    NOT NULL DEFAULT '{}',
    credentials            BLOB,
    key_id                 INTEGER,
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL,
    last_used_at           TEXT,
    credentials_updated_at TEXT,
    version                INTEGER NOT NULL DEFAULT 1,
    UNIQUE (connection, identifier),
    CHECK ((credentials IS NULL) = (key_id IS NULL))
);

CREATE INDEX accounts_status_idx ON accounts (status);
CREATE INDEX accounts_key_id_idx ON accounts (key_id);

CREATE TABLE account_status_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  BLOB    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    message     TEXT,
    at          TEXT    NOT NULL
);

CREATE INDEX account_status_history_account_idx ON account_status_history (account_id, id);
