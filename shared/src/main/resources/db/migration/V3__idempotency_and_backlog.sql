-- Idempotency-Key: a resubmission with the same key (per caller) returns the same run; the same key
-- with a different request is refused. The request hash tells the two apart.
CREATE TABLE idempotency_keys (
    scope         text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    -- Checked at commit: the key is claimed first, then its run is stored in the same transaction.
    run_id        text        NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

-- The gateway's backlog check counts unfinished runs; this keeps that count off the finished ones.
CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('pending', 'running');
