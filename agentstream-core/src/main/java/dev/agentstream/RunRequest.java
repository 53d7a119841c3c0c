package dev.agentstream;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * What to run: the user's message, and optionally the session, the caller and a run id chosen by
 * the caller (so it can cancel before the run has even started). Immutable.
 */
public record RunRequest(String message, String sessionId, String userId, String runId, String parentRunId) {

    public static final String LOCAL_USER = "local";

    public RunRequest {
        requireNonNull(message, "message");
    }

    /** A run in a new session for the local user. */
    public static RunRequest of(String message) {
        return new RunRequest(message, null, null, null, null);
    }

    public RunRequest withSessionId(String newSessionId) {
        return new RunRequest(message, newSessionId, userId, runId, parentRunId);
    }

    public RunRequest withUserId(String newUserId) {
        return new RunRequest(message, sessionId, newUserId, runId, parentRunId);
    }

    public RunRequest withRunId(String newRunId) {
        return new RunRequest(message, sessionId, userId, newRunId, parentRunId);
    }

    public RunRequest withParentRunId(String newParentRunId) {
        return new RunRequest(message, sessionId, userId, runId, newParentRunId);
    }

    String runIdOrNew() {
        return runId != null ? runId : UUID.randomUUID().toString();
    }

    String sessionIdOrNew() {
        return sessionId != null ? sessionId : UUID.randomUUID().toString();
    }

    String userIdOrLocal() {
        return userId != null ? userId : LOCAL_USER;
    }
}
