-- The tool calls of runs, each recorded as the model asks for it and again as it completes, in small
-- transactions of their own: a run executed again (a crash, a rebalance, a retry, a fenced commit)
-- replays what is recorded instead of calling a tool twice (at most once per tool call).
CREATE TABLE run_tool_calls (
    run_id       text        NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    call_id      text        NOT NULL,
    round        int         NOT NULL,   -- which model call of the run asked for it (0, 1, ...)
    position     int         NOT NULL,   -- its place among that model call's tool calls
    name         text        NOT NULL,
    arguments    text        NOT NULL,
    said         text        NOT NULL,   -- what the model said beside its tool calls
    status       text        NOT NULL CHECK (status IN ('requested', 'started', 'completed', 'failed', 'interrupted')),
    result       text,
    completed_at timestamptz,
    PRIMARY KEY (run_id, call_id),
    UNIQUE (run_id, round, position)
);
