-- An answer's deltas are written once, in run_events, as it streams. The assistant message holds
-- its content and reasoning as of content_seq: deltas of the same run numbered after it are not in
-- the message yet, and reading the message appends them (from run_events) until the message's
-- segment ends (completed, cancelled, failed, paused, or recovered as interrupted), when the whole
-- text is written once and content_seq moves to the segment's last event. NULL: the message holds
-- all of its text (user and tool messages, and rows written before this migration).
ALTER TABLE messages ADD COLUMN content_seq BIGINT;
