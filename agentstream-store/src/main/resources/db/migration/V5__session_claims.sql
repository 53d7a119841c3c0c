-- Which run holds each session across nodes (multitask strategies must hold when the next request
-- reaches another node). A claim is only a pointer: it counts while the run it names is RUNNING
-- with a live lease in runs, or, not stored yet, for a short grace after it was taken. So a node
-- that dies never leaves a session held longer than its runs stay RUNNING (heartbeat or lease).
CREATE TABLE session_claims (
    session_id  TEXT    NOT NULL PRIMARY KEY,
    run_id      TEXT    NOT NULL,
    owner_node  TEXT    NOT NULL,
    claimed_at  BIGINT  NOT NULL
);
