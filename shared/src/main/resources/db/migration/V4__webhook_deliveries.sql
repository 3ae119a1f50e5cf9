-- One row per run whose webhook was delivered: a redelivered event does not POST again.
CREATE TABLE webhook_deliveries (
    run_id        text        PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
    url           text        NOT NULL,
    attempts      integer     NOT NULL,
    delivered_at  timestamptz NOT NULL DEFAULT now()
);
