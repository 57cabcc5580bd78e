-- Audit log of tool executions. Never holds inputs or outputs. Survives account deletion.
CREATE TABLE executions (
    execution_id BLOB    NOT NULL PRIMARY KEY,
    account_id   BLOB,
    connection   TEXT    NOT NULL,
    identifier   TEXT    NOT NULL,
    tool         TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    error_code   TEXT,
    http_status  INTEGER,
    latency_ms   INTEGER NOT NULL,
    at           TEXT    NOT NULL
);

CREATE INDEX executions_account_idx ON executions (account_id, at);
CREATE INDEX executions_at_idx ON executions (at);
