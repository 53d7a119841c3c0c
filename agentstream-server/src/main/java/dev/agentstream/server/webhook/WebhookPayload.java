package dev.agentstream.server.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StoredMessage;
import dev.agentstream.store.StoredRun;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The body of a delivery, rebuilt from the run's stored final state (so any node can make it):
 * {@code {delivery_id, run_id, session_id, agent_id | team_id, status, content, error?,
 * cancel_reason?, ended_at, usage}}. Stateless apart from its store.
 */
final class WebhookPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SessionStore store;
    private final Predicate<String> isTeam;

    WebhookPayload(SessionStore store, Predicate<String> isTeam) {
        this.store = store;
        this.isTeam = isTeam;
    }

    /** The body for {@code runId}, or empty if the run is gone (its session was deleted). */
    Optional<byte[]> build(String deliveryId, String runId) {
        return store.findRun(runId).map(run -> bytes(deliveryId, run));
    }

    private byte[] bytes(String deliveryId, StoredRun run) {
        ObjectNode body = JSON.createObjectNode();
        body.put("delivery_id", deliveryId);
        body.put("run_id", run.runId());
        body.put("session_id", run.sessionId());
        body.put(isTeam.test(run.agentId()) ? "team_id" : "agent_id", run.agentId());
        body.put("status", run.status().name());
        body.put("content", answer(run));
        if (run.error() != null) {
            body.put("error", run.error());
        }
        if (run.cancelReason() != null) {
            body.put("cancel_reason", run.cancelReason());
        }
        Instant ended = run.completedAt();
        body.put("ended_at", (ended != null ? ended : Instant.now()).toString());
        ObjectNode usage = body.putObject("usage");
        usage.put("input_tokens", run.inputTokens());
        usage.put("output_tokens", run.outputTokens());
        usage.put("total_tokens", run.totalTokens());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    private String answer(StoredRun run) {
        return store.messages(run.sessionId()).stream()
            .filter(m -> m.messageId().equals(run.assistantMessageId()))
            .map(StoredMessage::content)
            .filter(c -> c != null)
            .findFirst()
            .orElse("");
    }
}
