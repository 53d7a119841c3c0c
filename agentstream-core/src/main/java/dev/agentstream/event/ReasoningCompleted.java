package dev.agentstream.event;

/** The model finished thinking; {@code reasoningContent} is all of it. */
public record ReasoningCompleted(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, String reasoningContent) implements RunEvent {

    public ReasoningCompleted(EventHeader h, String reasoningContent) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), reasoningContent);
    }
}
