-- Status-change events waiting for (or done with) webhook delivery: written in the same
-- transaction as the status change, so each change has exactly one row. `seq` orders events of
-- an account (the account row is locked while its event is written); a pending row is claimed
-- with a lease (`claimed_until`), and an expired lease makes it claimable again (a replica that
-- died mid-delivery). Survives account deletion.
CREATE TABLE status_outbox (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        UUID        NOT NULL UNIQUE,
    account_id      UUID        NOT NULL,
    connection      TEXT        NOT NULL,
    identifier      TEXT        NOT NULL,
    from_status     TEXT        NOT NULL,
    to_status       TEXT        NOT NULL,
    reason          TEXT,
    message         TEXT,
    at              TIMESTAMPTZ NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'pending',
    attempts        BIGINT      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    claimed_by      UUID,
    last_error      TEXT,
    done_at         TIMESTAMPTZ
);

CREATE INDEX status_outbox_pending_idx ON status_outbox (state, account_id, seq);
CREATE INDEX status_outbox_done_idx ON status_outbox (done_at);
CREATE INDEX status_outbox_at_idx ON status_outbox (at);
