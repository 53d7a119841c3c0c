package dev.agentstream.server.wire.agentos;

import dev.agentstream.server.http.ApiError;
import java.util.Set;

/**
 * The form of {@code POST /agents/{agent_id}/runs} (and a team's), validated: {@code message},
 * {@code stream} (default true, as Agno's), {@code session_id} (empty or absent: a new session) and
 * {@code user_id}, which is taken but not used: the user is the caller the API key names, as
 * AgentOS does when its auth knows the user. Other fields are ignored, as Agno's forms do.
 *
 * @param sessionId null for a new session
 */
record RunForm(String message, boolean stream, String sessionId) {

    static final Set<String> FIELDS = Set.of("message", "stream", "session_id", "user_id");
    static final String ID_PATTERN = "[A-Za-z0-9._:-]{1,128}";

    static RunForm parse(FormBody form) {
        String message = form.text("message")
            .orElseThrow(() -> ApiError.invalid("message: missing (expected: a form field with the user's message)"));
        if (message.isBlank()) {
            throw ApiError.invalid("message: blank (expected: the user's message)");
        }
        String sessionId = form.text("session_id").map(String::strip).filter(id -> !id.isEmpty()).orElse(null);
        if (sessionId != null && !sessionId.matches(ID_PATTERN)) {
            throw ApiError.invalid("session_id: not an id (expected: empty for a new session, or 1-128 of [A-Za-z0-9._:-])");
        }
        return new RunForm(message, form.bool("stream", true), sessionId);
    }
}
