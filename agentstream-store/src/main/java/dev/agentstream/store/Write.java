package dev.agentstream.store;

/**
 * Every statement the writer executes, in the order a group commit runs them: each kind is one
 * JDBC batch holding the rows of all runs in the group. The order keeps each run's own order
 * valid: a run row before its messages, a message before its updates, a run's events before the
 * end of its message, and run-row fences before the rest, so that a run another node took over
 * writes nothing more. Runs with no fencing row in a flush are checked with {@link #OWNED_RUNS}
 * instead.
 */
enum Write {

    UPSERT_SESSION(false, """
        INSERT INTO sessions (session_id, user_id, agent_id, title, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (session_id) DO UPDATE SET updated_at = excluded.updated_at"""),

    /** The run's place in its session is the next free one, counted in the same statement. */
    INSERT_RUN(false, """
        INSERT INTO runs (run_id, session_id, session_seq, parent_run_id, delegation_call_id, stream_id, agent_id, team,
                          user_id, user_message_id, assistant_message_id, status, started_at, owner_node, lease_expires_at)
        SELECT ?, ?, COALESCE(MAX(session_seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?
        FROM runs WHERE session_id = ?"""),

    /**
     * Takes a paused run over for its continued segment; matches too when this node claimed it
     * already ({@link SessionStore#claimPausedRun}, before continuing it).
     */
    CLAIM_RUN(true, """
        UPDATE runs SET status = 'RUNNING', owner_node = ?, lease_expires_at = ?, paused_state = NULL
        WHERE run_id = ? AND (status = 'PAUSED' OR (status = 'RUNNING' AND owner_node = ?))"""),

    /**
     * Renews the lease, a third of a lease before it expires, not every flush: PostgreSQL pays
     * dearly for updating the same indexed row five times a second. Matches nothing once the run
     * was taken over.
     */
    RENEW_RUN(true, """
        UPDATE runs SET lease_expires_at = ?
        WHERE run_id = ? AND status = 'RUNNING' AND owner_node = ?"""),

    /** Ends a segment; a paused run may be ended (cancelled) by any node. Unknown token counts stay. */
    FINISH_RUN(true, """
        UPDATE runs SET status = ?, completed_at = ?, error = ?, cancel_reason = ?,
                        input_tokens = COALESCE(?, input_tokens), output_tokens = COALESCE(?, output_tokens),
                        total_tokens = COALESCE(?, total_tokens), lease_expires_at = NULL,
                        paused_state = ?, owner_node = ?
        WHERE run_id = ? AND (status = 'PAUSED' OR (status = 'RUNNING' AND owner_node = ?))"""),

    /**
     * {@code content_seq}: see V2's migration; NULL but for an assistant message that streams. A
     * message id is made by this node, so a conflict is this node's own retry of a commit whose
     * answer the connection lost (the database went away mid-commit): nothing to do.
     */
    INSERT_MESSAGE(false, """
        INSERT INTO messages (message_id, session_id, run_id, ordinal, role, content, reasoning_content, tool_call_id,
                              tool_name, tool_arguments, created_at, completed_at, interrupted, error, content_seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (message_id) DO NOTHING"""),

    /**
     * Before the message updates: an end whose text is not in memory reads the flushed deltas back,
     * this flush's included ({@link FlushedAnswer}). Only the run's owner writes its events (the
     * group checks ownership first), so a conflict is the owner's retry of a commit whose answer the
     * connection lost: the row is there already.
     */
    INSERT_EVENT(false, """
        INSERT INTO run_events (run_id, seq, last_seq, stream_id, event_type, payload) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (run_id, seq) DO NOTHING"""),

    FINISH_TOOL_MESSAGE(false, """
        UPDATE messages SET content = ?, error = ?, completed_at = ?
        WHERE run_id = ? AND tool_call_id = ?"""),

    /**
     * Writes the whole answer once, when its segment ends (a pause too: then completed_at stays
     * NULL). While it streams, its deltas are written only as {@code run_events} rows: appending
     * them here too would write every delta twice, and on PostgreSQL rewrite the whole (TOASTed)
     * answer every flush.
     */
    FINISH_MESSAGE(false, """
        UPDATE messages SET content = ?, reasoning_content = ?, content_seq = ?, completed_at = ?, interrupted = ?,
                            error = ?
        WHERE message_id = ?"""),

    /** Tool calls still open when a run is stopped were cut short with it. */
    INTERRUPT_OPEN_TOOLS(false, """
        UPDATE messages SET interrupted = TRUE, completed_at = ?
        WHERE run_id = ? AND role = 'tool' AND completed_at IS NULL"""),

    TOUCH_SESSION(false, """
        UPDATE sessions SET updated_at = ? WHERE session_id = ?""");

    /** Which of some runs this node still owns; a SELECT, not batched: {@code ?} for the node, then the ids. */
    static final String OWNED_RUNS = "SELECT run_id FROM runs WHERE status = 'RUNNING' AND owner_node = ? AND run_id IN (";

    final boolean fences;
    final String sql;

    Write(boolean fences, String sql) {
        this.fences = fences;
        this.sql = sql;
    }
}
