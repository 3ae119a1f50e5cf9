-- Forgetting a user (issue 15): one job per request, run in batches by the gateway. The user id is kept
-- only while the job runs (so a restarted gateway resumes it); a finished job keeps no trace of whom it erased.
CREATE TABLE user_erasures (
    job_id            text        PRIMARY KEY,
    user_id           text,
    status            text        NOT NULL CHECK (status IN ('running', 'completed')),
    sessions_deleted  integer     NOT NULL DEFAULT 0,
    rows_deleted      integer     NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    finished_at       timestamptz,
    CHECK ((status = 'running') = (user_id IS NOT NULL))
);

-- Asking again while a user's erasure runs answers the same job.
CREATE UNIQUE INDEX user_erasures_one_running ON user_erasures (user_id) WHERE status = 'running';
