package dev.agentstream.event;

/** The run was stopped; terminal. {@code content} is the partial answer kept. */
public record RunCancelled(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, String reason, String content) implements RunEvent {

    /** A person or a client asked to stop. */
    public static final String REASON_CANCELLED = "cancelled";
    /** The last reader went away and the run's policy stops it. */
    public static final String REASON_CLIENT_DISCONNECTED = "client_disconnected";
    /** The process shut down. */
    public static final String REASON_SHUTDOWN = "shutdown";
    /** The run's process died: its lease expired and another took note. */
    public static final String REASON_LEASE_EXPIRED = "lease_expired";
    /** The run's node stopped beating (its heartbeat expired) or restarted without it; another node took note. */
    public static final String REASON_NODE_LOST = "node_lost";

    /** INTERRUPTED when the client or the process went away, else CANCELLED. */
    public static RunStatus statusFor(String reason) {
        return REASON_CLIENT_DISCONNECTED.equals(reason) || REASON_SHUTDOWN.equals(reason)
            || REASON_LEASE_EXPIRED.equals(reason) || REASON_NODE_LOST.equals(reason) ? RunStatus.INTERRUPTED : RunStatus.CANCELLED;
    }

    public RunCancelled(EventHeader h, String reason, String content) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), reason, content);
    }
}
