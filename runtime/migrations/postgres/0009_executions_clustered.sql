-- The audit table keyed by its time order, (at, execution_id), which serves retention deletes
-- and the newest-first listing: the separate (at) index and the execution_id key's index
-- become one, so a row updates three structures (heap, key, per-account index) instead of four.
-- execution_id stays unique in practice (UUIDv7, one per call) and a row written twice still
-- collides on the key.
ALTER TABLE executions DROP CONSTRAINT executions_pkey;
ALTER TABLE executions ADD PRIMARY KEY (at, execution_id);
DROP INDEX executions_at_idx;
