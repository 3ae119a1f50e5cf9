-- Paused runs (human in the loop): a run whose model asked for an external tool, or for a tool that
-- needs approval, waits as 'paused' with its pending calls in run_tool_calls, holding no worker. Later
-- runs of its session are parked behind it (still 'pending', numbered in arrival order) and sent
-- through the session's lane again, one at a time, once it ends.
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check
    CHECK (status IN ('pending', 'running', 'paused', 'completed', 'failed', 'cancelled'));

-- The request as it arrived (overrides included): what resuming a paused run or dispatching a parked
-- one sends through the session's lane again.
ALTER TABLE runs ADD COLUMN request jsonb;
-- While paused: when the pause times out, and when the answers to every pending call came (the run is
-- then due to resume).
ALTER TABLE runs ADD COLUMN paused_at timestamptz;
ALTER TABLE runs ADD COLUMN pause_expires_at timestamptz;
ALTER TABLE runs ADD COLUMN continued_at timestamptz;
-- While parked behind a paused run: the place in its session's queue, and when it was last sent
-- through the lane again.
ALTER TABLE runs ADD COLUMN parked_seq bigint;
ALTER TABLE runs ADD COLUMN dispatched_at timestamptz;

CREATE SEQUENCE runs_parked_seq;
CREATE INDEX runs_paused ON runs (session_id) WHERE status = 'paused';
CREATE INDEX runs_pause_expiry ON runs (pause_expires_at) WHERE status = 'paused';
CREATE INDEX runs_parked ON runs (session_id, parked_seq) WHERE parked_seq IS NOT NULL;

-- A pending call waits for a 'result' (an external tool: the caller executes it) or an 'approval' (a
-- tool with requires_confirmation); an approval turns it 'approved' (then executed) or 'rejected'.
ALTER TABLE run_tool_calls ADD COLUMN awaiting text CHECK (awaiting IN ('result', 'approval'));
ALTER TABLE run_tool_calls DROP CONSTRAINT run_tool_calls_status_check;
ALTER TABLE run_tool_calls ADD CONSTRAINT run_tool_calls_status_check
    CHECK (status IN ('requested', 'approved', 'rejected', 'started', 'completed', 'failed', 'interrupted'));
