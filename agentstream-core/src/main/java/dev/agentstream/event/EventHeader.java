package dev.agentstream.event;

/**
 * The fields every event carries, bundled so a producer can make an event in one expression:
 * {@code new RunContent(header, "Hello")}.
 */
public record EventHeader(long seq, String runId, String sessionId, String agentId, String parentRunId, long createdAt) {
}
