-- Vault keyring: data keys (DEKs) wrapped by the master key, and the master key's check value.
CREATE TABLE vault_keys (
    key_id      INTEGER NOT NULL PRIMARY KEY,
    wrapped_key BLOB    NOT NULL,
    created_at  TEXT    NOT NULL,
    is_primary  BOOLEAN NOT NULL DEFAULT FALSE
);

-- At most one primary key.
CREATE UNIQUE INDEX vault_keys_one_primary ON vault_keys (is_primary) WHERE is_primary;

-- A single row (id = 1) holding the key-check value of the master key.
CREATE TABLE vault_meta (
    id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    check_value BLOB    NOT NULL,
    created_at  TEXT    NOT NULL
);
