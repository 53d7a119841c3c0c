package dev.agentstream;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.data.message.ChatMessage;
import java.util.List;
import java.util.UUID;

/**
 * What to run: the user's message, and optionally the session, the caller, a run id chosen by
 * the caller (so it can cancel before the run has even started) and the conversation before the
 * message. Immutable.
 *
 * @param history the messages before {@code message}, oldest first, when the caller brings the
 *     conversation itself (a client that keeps it, as chat-completions clients do); null to let the
 *     runtime's {@link dev.agentstream.run.HistoryProvider} read the session's
 */
public record RunRequest(String message, String sessionId, String userId, String runId, String parentRunId,
                         List<ChatMessage> history) {

    public static final String LOCAL_USER = "local";

    public RunRequest {
        requireNonNull(message, "message");
        history = history == null ? null : List.copyOf(history);
    }

    /** A request whose history is the session's, as the runtime's history provider gives it. */
    public RunRequest(String message, String sessionId, String userId, String runId, String parentRunId) {
        this(message, sessionId, userId, runId, parentRunId, null);
    }

    /** A run in a new session for the local user. */
    public static RunRequest of(String message) {
        return new RunRequest(message, null, null, null, null);
    }

    public RunRequest withSessionId(String newSessionId) {
        return new RunRequest(message, newSessionId, userId, runId, parentRunId, history);
    }

    public RunRequest withUserId(String newUserId) {
        return new RunRequest(message, sessionId, newUserId, runId, parentRunId, history);
    }

    public RunRequest withRunId(String newRunId) {
        return new RunRequest(message, sessionId, userId, newRunId, parentRunId, history);
    }

    public RunRequest withParentRunId(String newParentRunId) {
        return new RunRequest(message, sessionId, userId, runId, newParentRunId, history);
    }

    /** The same request with the conversation before the message given explicitly (null: the session's). */
    public RunRequest withHistory(List<ChatMessage> newHistory) {
        return new RunRequest(message, sessionId, userId, runId, parentRunId, newHistory);
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
