-- Long-term memory (issue 15): facts about a user, kept across that user's sessions, and a profile.
-- Neither table references sessions: a memory outlives the session it came from (deleting a session
-- is not forgetting the user; erasing the user is). session_id and run_id record where it came from.
CREATE TABLE user_memories (
    memory_id   text        PRIMARY KEY,
    user_id     text        NOT NULL,
    memory      text        NOT NULL CHECK (length(memory) BETWEEN 1 AND 2000),
    topics      text[]      NOT NULL DEFAULT '{}',
    session_id  text,
    run_id      text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Listing and injection read a user's most recently updated memories first.
CREATE INDEX user_memories_by_user_updated ON user_memories (user_id, updated_at DESC, memory_id);
CREATE INDEX user_memories_by_topic ON user_memories USING gin (topics);
-- One row per statement and user, whatever the case: a repeated fact refreshes its row instead of adding
-- one, even when two extractions (or a hand edit) race.
CREATE UNIQUE INDEX user_memories_one_per_text ON user_memories (user_id, md5(lower(memory)));

-- A structured profile per user: {"name": string|null, "preferences": [string], "facts": {key: string}}.
CREATE TABLE user_profiles (
    user_id     text        PRIMARY KEY,
    profile     jsonb       NOT NULL CHECK (jsonb_typeof(profile) = 'object'),
    version     bigint      NOT NULL DEFAULT 1,
    updated_at  timestamptz NOT NULL
);

-- How far extraction has read each session of a user: runs at or below up_to_run_index are done, so a
-- redelivered RunCompleted changes nothing. Written in the transaction that applies the memories.
CREATE TABLE user_memory_progress (
    user_id          text        NOT NULL,
    session_id       text        NOT NULL,
    up_to_run_index  integer     NOT NULL CHECK (up_to_run_index >= 0),
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (user_id, session_id)
);
