-- One row per background run that named a webhook. Written when the run starts, so the run's end
-- (stored in runs.status by whichever node ends or recovers it) is what makes the row due: no
-- crash between storing the end and enqueueing the delivery can lose it. The payload is rebuilt
-- from the run's stored state at delivery time.
CREATE TABLE webhook_deliveries (
    delivery_id       TEXT     NOT NULL PRIMARY KEY,
    run_id            TEXT     NOT NULL,
    url               TEXT     NOT NULL,
    status            TEXT     NOT NULL,            -- pending, delivered, failed
    attempts          INTEGER  NOT NULL DEFAULT 0,
    next_attempt_at   BIGINT   NOT NULL,            -- not tried before this time
    claimed_by        TEXT,                         -- the node delivering it now
    claim_expires_at  BIGINT,                       -- past it another node may take the delivery over
    last_error        TEXT,
    created_at        BIGINT   NOT NULL,
    delivered_at      BIGINT
);

-- One webhook per run: a start retried under the same idempotency key names the same run.
CREATE UNIQUE INDEX webhook_deliveries_by_run ON webhook_deliveries (run_id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
