-- A deleted session leaves its id here for a while: a run requested before the deletion (queued on
-- the topic, or in flight when it happened) must not bring the session back. A request made after
-- the deletion may create a session with that id anew. Written in the deleting statement itself;
-- swept after a retention window (SessionTombstones.RETENTION) by later deletes.
CREATE TABLE session_tombstones (
    session_id  text        PRIMARY KEY,
    deleted_at  timestamptz NOT NULL
);

CREATE INDEX session_tombstones_by_deleted ON session_tombstones (deleted_at);
