package dev.agentstream.event;

/** The run finished; terminal. {@code content} is the whole answer. */
public record RunCompleted(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, String content, String reasoningContent, Metrics metrics) implements RunEvent {

    public RunCompleted(EventHeader h, String content, String reasoningContent, Metrics metrics) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), content, reasoningContent, metrics);
    }
}
