package dev.agentstream.event;

/** The run failed; terminal. {@code content} is the error message (Agno's convention), {@code partialContent} what was answered before. */
public record RunError(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, String content, String errorType, String partialContent) implements RunEvent {

    public RunError(EventHeader h, String content, String errorType, String partialContent) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), content, errorType, partialContent);
    }
}
