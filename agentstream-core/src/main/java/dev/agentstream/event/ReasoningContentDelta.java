package dev.agentstream.event;

/** A chunk of the model's thinking. */
public record ReasoningContentDelta(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, String reasoningContent) implements RunEvent {

    public ReasoningContentDelta(EventHeader h, String reasoningContent) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), reasoningContent);
    }
}
