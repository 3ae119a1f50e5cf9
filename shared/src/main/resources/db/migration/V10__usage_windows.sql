-- Usage per user, component and model in hourly and daily windows (issue 18), written by the usage
-- topology in the summarizer-worker and read by GET /v1/usage. Each row holds the window's absolute
-- totals as the topology last computed them, so writing a row again (a replay after a crash) is harmless.
-- Anonymous runs have user_id '' and failed runs, which name no model, have model ''.
CREATE TABLE usage_windows (
    granularity     text        NOT NULL CHECK (granularity IN ('hour', 'day')),
    window_start    timestamptz NOT NULL,
    user_id         text        NOT NULL,
    component_type  text        NOT NULL,
    component_id    text        NOT NULL,
    model           text        NOT NULL,
    runs            bigint      NOT NULL,
    failed_runs     bigint      NOT NULL,
    input_tokens    bigint      NOT NULL,
    output_tokens   bigint      NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (granularity, window_start, user_id, component_type, component_id, model)
);

-- GET /v1/usage?user_id=... over a time range, the common question.
CREATE INDEX usage_windows_by_user ON usage_windows (granularity, user_id, window_start);
