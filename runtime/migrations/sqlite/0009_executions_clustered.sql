-- The audit table clustered on its time order: a WITHOUT ROWID table keyed by (at,
-- execution_id), plus the per-account index. Two B-trees per row instead of four (rowid table,
-- the execution_id key's index, (account_id, at), (at)): retention deletes and the newest-first
-- listing walk the key itself. execution_id stays unique in practice (UUIDv7, one per call) and
-- a row written twice still collides on the key. Rebuilt by copy: SQLite cannot change a key.
CREATE TABLE executions_by_time (
    execution_id BLOB    NOT NULL,
    account_id   BLOB,
    connection   TEXT    NOT NULL,
    identifier   TEXT    NOT NULL,
    tool         TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    error_code   TEXT,
    http_status  INTEGER,
    latency_ms   INTEGER NOT NULL,
    at           TEXT    NOT NULL,
    PRIMARY KEY (at, execution_id)
) WITHOUT ROWID;

INSERT INTO executions_by_time (execution_id, account_id, connection, identifier, tool, outcome,
                                error_code, http_status, latency_ms, at)
SELECT execution_id, account_id, connection, identifier, tool, outcome,
       error_code, http_status, latency_ms, at
FROM executions;

DROP TABLE executions;
ALTER TABLE executions_by_time RENAME TO executions;
CREATE INDEX executions_account_idx ON executions (account_id, at);
