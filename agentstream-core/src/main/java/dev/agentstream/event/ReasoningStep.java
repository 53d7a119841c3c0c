package dev.agentstream.event;

/** One finished block of thinking, whole. */
public record ReasoningStep(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, String reasoningContent) implements RunEvent {

    public ReasoningStep(EventHeader h, String reasoningContent) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), reasoningContent);
    }
}
