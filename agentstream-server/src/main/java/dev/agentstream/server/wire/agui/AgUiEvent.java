package dev.agentstream.server.wire.agui;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The AG-UI 1.0 events agentstream sends, as the client's schema names them: camelCase, optional
 * fields left out (the client refuses a {@code null} in most of them), {@code timestamp} in
 * integer epoch milliseconds. Records only; {@link #json()} is the wire form.
 */
@JsonPropertyOrder({"type"})
sealed interface AgUiEvent {

    ObjectMapper MAPPER = JsonMapper.builder()
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();

    /** The SCREAMING_SNAKE event type. */
    @JsonProperty("type")
    String type();

    /** The event as one line of JSON. */
    default String json() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    record RunStarted(String threadId, String runId, String protocolVersion, long timestamp) implements AgUiEvent {
        public String type() {
            return "RUN_STARTED";
        }
    }

    /** @param outcome null for success */
    record RunFinished(String threadId, String runId, Outcome outcome, List<TokenUsage> usage, long timestamp)
        implements AgUiEvent {
        public String type() {
            return "RUN_FINISHED";
        }
    }

    record RunError(String message, String code, long timestamp) implements AgUiEvent {
        public String type() {
            return "RUN_ERROR";
        }
    }

    /** @param name the member of a team who speaks; null for the agent or the team's leader */
    record TextMessageStart(String messageId, String role, String name, long timestamp) implements AgUiEvent {
        public String type() {
            return "TEXT_MESSAGE_START";
        }
    }

    record TextMessageContent(String messageId, String delta, long timestamp) implements AgUiEvent {
        public String type() {
            return "TEXT_MESSAGE_CONTENT";
        }
    }

    record TextMessageEnd(String messageId, long timestamp) implements AgUiEvent {
        public String type() {
            return "TEXT_MESSAGE_END";
        }
    }

    record ToolCallStart(String toolCallId, String toolCallName, String parentMessageId, long timestamp)
        implements AgUiEvent {
        public String type() {
            return "TOOL_CALL_START";
        }
    }

    /** @param delta argument text (the whole JSON at once: agentstream reports calls complete) */
    record ToolCallArgs(String toolCallId, String delta, long timestamp) implements AgUiEvent {
        public String type() {
            return "TOOL_CALL_ARGS";
        }
    }

    record ToolCallEnd(String toolCallId, long timestamp) implements AgUiEvent {
        public String type() {
            return "TOOL_CALL_END";
        }
    }

    /** @param messageId the new tool message's id */
    record ToolCallResult(String messageId, String toolCallId, String content, String role, long timestamp)
        implements AgUiEvent {
        public String type() {
            return "TOOL_CALL_RESULT";
        }
    }

    record ReasoningStart(String messageId, long timestamp) implements AgUiEvent {
        public String type() {
            return "REASONING_START";
        }
    }

    record ReasoningMessageStart(String messageId, String role, long timestamp) implements AgUiEvent {
        public String type() {
            return "REASONING_MESSAGE_START";
        }
    }

    record ReasoningMessageContent(String messageId, String delta, long timestamp) implements AgUiEvent {
        public String type() {
            return "REASONING_MESSAGE_CONTENT";
        }
    }

    record ReasoningMessageEnd(String messageId, long timestamp) implements AgUiEvent {
        public String type() {
            return "REASONING_MESSAGE_END";
        }
    }

    record ReasoningEnd(String messageId, long timestamp) implements AgUiEvent {
        public String type() {
            return "REASONING_END";
        }
    }

    /** Why a run ended: {@code interrupt} (with what it waits for) or {@code cancelled}. */
    record Outcome(String type, List<Interrupt> interrupts) {
        static final Outcome CANCELLED = new Outcome("cancelled", null);

        static Outcome interrupt(List<Interrupt> interrupts) {
            return new Outcome("interrupt", interrupts);
        }
    }

    /** What a paused run needs from a person; answered by a {@code resume} entry with the same id. */
    record Interrupt(String id, String reason, String message, String toolCallId, Map<String, Object> responseSchema) {
    }

    record TokenUsage(String model, long inputTokens, long outputTokens, long totalTokens) {
    }
}
