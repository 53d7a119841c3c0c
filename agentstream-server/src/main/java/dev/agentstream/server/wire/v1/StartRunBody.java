package dev.agentstream.server.wire.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonFields;
import dev.agentstream.server.run.DisconnectPolicy;
import dev.agentstream.server.run.Multitask;
import dev.agentstream.server.webhook.WebhookUrl;
import java.util.Set;

/**
 * The body of {@code POST /v1/agents/{agent_id}/runs}, validated.
 *
 * @param sessionId null for a new session
 * @param policy what a disconnect does; {@code continue} for background runs
 * @param webhook where a background run's final state is POSTed, or null
 */
record StartRunBody(String message, String sessionId, boolean stream, boolean background, DisconnectPolicy policy,
                    Multitask multitask, String webhook) {

    static final Set<String> FIELDS = Set.of("message", "session_id", "stream", "on_disconnect", "background", "multitask",
        "webhook");
    static final String ID_PATTERN = "[A-Za-z0-9._:-]{1,128}";

    static StartRunBody parse(ObjectNode node) {
        JsonFields fields = JsonFields.of(node, FIELDS);
        String message = fields.requiredString("message");
        if (message.isBlank()) {
            throw ApiError.invalid("message: blank (expected: the user's message)");
        }
        String sessionId = fields.string("session_id").orElse(null);
        if (sessionId != null && !sessionId.matches(ID_PATTERN)) {
            throw ApiError.invalid("session_id: not an id (expected: 1-128 of [A-Za-z0-9._:-])");
        }
        Boolean stream = fields.bool("stream").orElse(null);
        boolean background = fields.bool("background").orElse(false);
        DisconnectPolicy policy = fields.choice("on_disconnect", DisconnectPolicy::fromWire, "\"cancel\" or \"continue\"")
            .orElse(null);
        Multitask multitask = fields.choice("multitask", Multitask::fromWire, "\"reject\", \"enqueue\" or \"interrupt\"")
            .orElse(Multitask.REJECT);
        String webhook = fields.string("webhook").map(WebhookUrl::check).orElse(null);
        if (webhook != null && !background) {
            throw ApiError.invalid("webhook: without background: true (expected: a background run; a streamed or"
                + " awaited run answers its caller directly)");
        }
        if (background) {
            if (Boolean.TRUE.equals(stream)) {
                throw ApiError.invalid("stream: true with background: true (expected: one of them; read a background run"
                    + " through GET /v1/runs/{run_id}/events)");
            }
            if (policy == DisconnectPolicy.CANCEL) {
                throw ApiError.invalid("on_disconnect: \"cancel\" with background: true (expected: \"continue\" or none;"
                    + " a background run has no reader to lose)");
            }
            return new StartRunBody(message, sessionId, false, true, DisconnectPolicy.CONTINUE, multitask, webhook);
        }
        return new StartRunBody(message, sessionId, stream == null || stream, false,
            policy == null ? DisconnectPolicy.CANCEL : policy, multitask, null);
    }
}
