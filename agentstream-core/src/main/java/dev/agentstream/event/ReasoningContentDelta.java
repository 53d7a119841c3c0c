package dev.agentstream.event;

/** A chunk of the model's thinking. */
public record ReasoningContentDelta(long seq, String runId, String sessionId, String agentId, String parentRunId, long createdAt, String reasoningContent) implements RunEvent {

    public ReasoningContentDelta(EventHeader h, String reasoningContent) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.parentRunId(), h.createdAt(), reasoningContent);
    }
}
