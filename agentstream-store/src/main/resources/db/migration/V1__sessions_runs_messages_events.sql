-- One schema for SQLite and PostgreSQL: only types and syntax both understand (TEXT, BIGINT,
-- INTEGER, BOOLEAN, ON CONFLICT, partial indexes). Timestamps are epoch milliseconds (UTC).

CREATE TABLE sessions (
    session_id  TEXT    NOT NULL PRIMARY KEY,
    user_id     TEXT    NOT NULL,
    agent_id    TEXT    NOT NULL,   -- the agent or team the session talks to
    title       TEXT,               -- from the first user message
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id, updated_at);

CREATE TABLE runs (
    run_id                TEXT    NOT NULL PRIMARY KEY,
    session_id            TEXT    NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
    session_seq           INTEGER NOT NULL,  -- 1, 2, 3 … : the run's place in its session
    parent_run_id         TEXT,              -- the team run a member run belongs to
    stream_id             TEXT    NOT NULL,  -- the top-level run whose stream (and seq numbering) this run shares
    agent_id              TEXT    NOT NULL,  -- the agent, or the team for a team's own run
    team                  BOOLEAN NOT NULL DEFAULT FALSE,
    user_id               TEXT    NOT NULL,
    user_message_id       TEXT    NOT NULL,
    assistant_message_id  TEXT    NOT NULL,
    status                TEXT    NOT NULL,  -- RunStatus name
    started_at            BIGINT  NOT NULL,
    completed_at          BIGINT,
    error                 TEXT,
    cancel_reason         TEXT,
    input_tokens          BIGINT  NOT NULL DEFAULT 0,
    output_tokens         BIGINT  NOT NULL DEFAULT 0,
    total_tokens          BIGINT  NOT NULL DEFAULT 0,
    owner_node            TEXT,              -- the node that executes (or executed) the run
    lease_expires_at      BIGINT,            -- set while RUNNING; past it the run counts as abandoned
    paused_state          TEXT               -- JSON of PausedRun while PAUSED
);

CREATE INDEX runs_by_session ON runs (session_id, session_seq);
CREATE INDEX runs_by_lease ON runs (lease_expires_at) WHERE status = 'RUNNING';

CREATE TABLE messages (
    message_id         TEXT     NOT NULL PRIMARY KEY,
    session_id         TEXT     NOT NULL,
    run_id             TEXT     NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    ordinal            INTEGER  NOT NULL,  -- place in the run: 0 user, 1 assistant, 2… tool calls
    role               TEXT     NOT NULL,  -- user, assistant, tool
    content            TEXT,               -- tool messages: the result
    reasoning_content  TEXT,
    tool_call_id       TEXT,
    tool_name          TEXT,
    tool_arguments     TEXT,               -- JSON
    created_at         BIGINT   NOT NULL,
    completed_at       BIGINT,
    interrupted        BOOLEAN  NOT NULL DEFAULT FALSE,
    error              TEXT
);

CREATE INDEX messages_by_run ON messages (run_id, ordinal);

-- Runs' events for replay, numbered in their stream (a team run shares its numbering with its
-- members). RunContent and ReasoningContentDelta rows each hold a batch of one run's deltas
-- (seq .. last_seq); every other row holds one event (seq = last_seq).
CREATE TABLE run_events (
    run_id      TEXT    NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    seq         BIGINT  NOT NULL,
    last_seq    BIGINT  NOT NULL,
    stream_id   TEXT    NOT NULL,
    event_type  TEXT    NOT NULL,
    payload     TEXT    NOT NULL,  -- JSON
    PRIMARY KEY (run_id, seq)
);

CREATE INDEX run_events_by_stream ON run_events (stream_id, seq);

CREATE TABLE idempotency_keys (
    user_id     TEXT    NOT NULL,
    idem_key    TEXT    NOT NULL,
    run_id      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
