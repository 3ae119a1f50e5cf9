-- Postgres holds the truth; Kafka only carries work. One row per run, never an ever-growing array
-- in the session row, so the cost of a run does not grow with the session's length.

CREATE TABLE sessions (
    session_id    text        PRIMARY KEY,
    session_type  text        NOT NULL CHECK (session_type IN ('agent', 'team')),
    user_id       text,
    component_id  text        NOT NULL,
    session_name  text,
    session_state jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(session_state) = 'object'),
    metadata      jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
    run_count     integer     NOT NULL DEFAULT 0,
    -- Bumped by every commit; a commit that expects an older version is fenced off.
    version       bigint      NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sessions_by_user_created ON sessions (user_id, created_at DESC);
CREATE INDEX sessions_by_user_updated ON sessions (user_id, updated_at DESC);
CREATE INDEX sessions_by_created ON sessions (created_at DESC);
CREATE INDEX sessions_by_updated ON sessions (updated_at DESC);

CREATE TABLE runs (
    run_id         text        PRIMARY KEY,
    session_id     text        NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
    -- Assigned when the run finishes, in the order the session's runs were executed.
    run_index      integer,
    parent_run_id  text        REFERENCES runs (run_id) ON DELETE CASCADE,
    user_id        text,
    component_type text        NOT NULL CHECK (component_type IN ('agent', 'team')),
    component_id   text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    input          jsonb       NOT NULL,
    content        text,
    -- The run's own turns (user, assistant); history is read from earlier rows, not copied in.
    messages       jsonb,
    model          text,
    metrics        jsonb,
    error          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    completed_at   timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, run_index)
);

CREATE INDEX runs_by_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;

CREATE TABLE session_summaries (
    session_id      text        PRIMARY KEY REFERENCES sessions (session_id) ON DELETE CASCADE,
    summary         text        NOT NULL,
    topics          jsonb       NOT NULL DEFAULT '[]'::jsonb,
    up_to_run_index integer     NOT NULL,
    prompt_version  text        NOT NULL,
    model           text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE session_contexts (
    session_id      text        PRIMARY KEY REFERENCES sessions (session_id) ON DELETE CASCADE,
    summary         text,
    goal            text,
    plan            jsonb       NOT NULL DEFAULT '[]'::jsonb,
    progress        jsonb       NOT NULL DEFAULT '[]'::jsonb,
    up_to_run_index integer     NOT NULL,
    prompt_version  text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
