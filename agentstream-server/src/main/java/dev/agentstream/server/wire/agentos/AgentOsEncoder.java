package dev.agentstream.server.wire.agentos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.event.EventJson;
import dev.agentstream.event.ReasoningStep;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.run.RunEventLog;
import dev.agentstream.server.sse.SharedSseEncoder;
import dev.agentstream.server.sse.SseWriter;
import java.util.List;
import java.util.Map;

/**
 * AgentOS's stream, as Agno's Agent UI reads it: one SSE frame per event ({@code event:} its Agno
 * name, {@code data:} one line of JSON with the name inside as {@code "event"}, never a top-level
 * {@code data} key). The UI ignores the SSE framing and scans the body for JSON objects, so what
 * matters is the JSON: most events go out as the native JSON (already Agno's fields:
 * {@code content}, {@code run_id}, {@code session_id}, {@code created_at}, {@code tool}); the few
 * the UI reads differently are adjusted here:
 * <ul>
 * <li>{@code RunCompleted}: {@code content} is the full answer and never missing or null (the UI
 *     replaces the streamed text with it; missing leaves it empty, null shows "null");</li>
 * <li>{@code RunError}: a readable {@code content} (the UI shows it to the user);</li>
 * <li>{@code RunCancelled}: {@code content} says the run was cancelled, as Agno's event has no
 *     partial answer (the UI shows a team's cancel as an error with this text);</li>
 * <li>{@code ReasoningStep}: the step also as {@code extra_data.reasoning_steps}, where the UI looks.</li>
 * </ul>
 * Stateless, so each event is encoded once and shared by every AgentOS stream of its run.
 */
final class AgentOsEncoder implements SharedSseEncoder {

    static final AgentOsEncoder INSTANCE = new AgentOsEncoder();
    private static final RunEventLog.MemoKey<byte[]> MEMO = RunEventLog.memoKey("agentos");

    static final String ERROR_FALLBACK = "Error during run";
    static final String REASONING_STEP_TITLE = "Reasoning";

    private AgentOsEncoder() {
    }

    @Override
    public RunEventLog.MemoKey<byte[]> memoKey() {
        return MEMO;
    }

    @Override
    public byte[] encode(RunEvent event) {
        byte[] json = switch (event) {
            case RunCompleted completed when completed.content() == null -> adjusted(event, "content", "");
            case RunError error when error.content() == null || error.content().isBlank() ->
                adjusted(event, "content", ERROR_FALLBACK);
            case RunCancelled cancelled -> adjusted(event, "content", cancelledText(cancelled.reason()));
            case ReasoningStep step -> withReasoningStep(step);
            default -> EventJson.writeBytes(event);
        };
        return SseWriter.encode(null, event.eventName(), json);
    }

    /** The text Agent UI shows for a stopped team run. */
    static String cancelledText(String reason) {
        return reason == null || RunCancelled.REASON_CANCELLED.equals(reason)
            ? "Run cancelled"
            : "Run cancelled (" + reason.replace('_', ' ') + ")";
    }

    private static byte[] adjusted(RunEvent event, String field, String value) {
        ObjectNode node = EventJson.mapper().valueToTree(event);
        node.put(field, value);
        return EventJson.writeBytes(node);
    }

    private static byte[] withReasoningStep(ReasoningStep step) {
        ObjectNode node = EventJson.mapper().valueToTree(step);
        node.set("extra_data", EventJson.mapper().valueToTree(
            Map.of("reasoning_steps", List.of(reasoningStep(step.reasoningContent())))));
        return EventJson.writeBytes(node);
    }

    /** One reasoning step as Agent UI renders it ("STEP n title", then the reasoning). */
    static Map<String, String> reasoningStep(String reasoning) {
        return Map.of("title", REASONING_STEP_TITLE, "reasoning", reasoning == null ? "" : reasoning);
    }
}
