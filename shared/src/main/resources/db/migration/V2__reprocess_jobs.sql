-- Batch reprocessing: a job re-derives the summaries and/or contexts of every session matching its
-- filter. Its state lives here, so a gateway restart resumes it where it stopped.

CREATE TABLE reprocess_jobs (
    job_id          text        PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('summaries', 'context', 'both')),
    filter          jsonb       NOT NULL,
    prompt_version  text,
    status          text        NOT NULL CHECK (status IN ('running', 'completed', 'cancelled')),
    -- Sessions are published in session_id order; the cursor is the last one published.
    cursor_session  text,
    published_all   boolean     NOT NULL DEFAULT false,
    total           integer     NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);

-- One row per (job, session, summaries|context): published as 'queued', then 'done' or 'failed'.
CREATE TABLE reprocess_items (
    job_id      text        NOT NULL REFERENCES reprocess_jobs (job_id) ON DELETE CASCADE,
    session_id  text        NOT NULL,
    target      text        NOT NULL CHECK (target IN ('summary', 'context')),
    status      text        NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
    error       text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, session_id, target)
);

CREATE INDEX reprocess_items_by_status ON reprocess_items (job_id, status);
