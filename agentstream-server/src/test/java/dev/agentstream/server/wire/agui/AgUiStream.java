package dev.agentstream.server.wire.agui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** One AG-UI response read to its end, with the checks every AG-UI stream must pass. */
record AgUiStream(int status, String raw, List<JsonNode> events, boolean ended) {

    static ObjectNode input(String threadId, String userMessage) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.put("threadId", threadId);
        input.put("runId", UUID.randomUUID().toString());
        input.putObject("state");
        ArrayNode messages = input.putArray("messages");
        if (userMessage != null) {
            messages.addObject().put("id", UUID.randomUUID().toString()).put("role", "user").put("content", userMessage);
        }
        input.putArray("tools");
        input.putArray("context");
        input.putObject("forwardedProps");
        return input;
    }

    static final JsonNode ACCEPT = JsonNodeFactory.instance.objectNode().put("accepted", true);

    /** The input of a request that resolves one interrupt of the thread with {@code payload} (null for none). */
    static ObjectNode resume(String threadId, String interruptId, JsonNode payload) {
        ObjectNode input = input(threadId, "the message that paused");
        ObjectNode entry = input.putArray("resume").addObject().put("interruptId", interruptId).put("status", "resolved");
        if (payload != null) {
            entry.set("payload", payload);
        }
        return input;
    }

    static AgUiStream post(TestServer server, String path, JsonNode input, String... headers) {
        try (SseStream stream = server.postStream(path, input.toString(), headers)) {
            List<JsonNode> events = new ArrayList<>();
            for (SseStream.Frame frame : stream.rest()) {
                events.add(frame.json());
            }
            return new AgUiStream(stream.status(), stream.raw(), events, stream.ended());
        }
    }

    List<String> types() {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }

    /** The types with repeats collapsed into "TYPE*", so shapes with any number of chunks compare exactly. */
    List<String> shape() {
        List<String> out = new ArrayList<>();
        for (String type : types()) {
            String last = out.isEmpty() ? null : out.getLast();
            if (type.equals(last) || (type + "*").equals(last)) {
                out.set(out.size() - 1, type + "*");
            } else {
                out.add(type);
            }
        }
        return out;
    }

    List<JsonNode> ofType(String type) {
        return events.stream().filter(e -> e.get("type").asText().equals(type)).toList();
    }

    /** The first interrupt the stream ended with. */
    JsonNode interrupt() {
        return last().get("outcome").get("interrupts").get(0);
    }

    JsonNode last() {
        return events.getLast();
    }

    /**
     * The client's verify rules: RUN_STARTED first, one terminal event last, every content and end
     * inside its start, nothing open at RUN_FINISHED.
     */
    AgUiStream assertInOrder() {
        assertThat(types()).isNotEmpty();
        assertThat(types().getFirst()).isEqualTo("RUN_STARTED");
        assertThat(types().getLast()).isIn("RUN_FINISHED", "RUN_ERROR");
        assertThat(types().subList(0, types().size() - 1)).doesNotContain("RUN_FINISHED", "RUN_ERROR");
        Set<String> open = new HashSet<>();
        for (JsonNode event : events) {
            String type = event.get("type").asText();
            String key = switch (type) {
                case "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END" -> "text:" + event.get("messageId").asText();
                case "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END" -> "tool:" + event.get("toolCallId").asText();
                case "REASONING_MESSAGE_START", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_END" ->
                    "reasoning:" + event.get("messageId").asText();
                case "REASONING_START", "REASONING_END" -> "span:" + event.get("messageId").asText();
                default -> null;
            };
            if (key == null) {
                continue;
            }
            if (type.endsWith("_START")) {
                assertThat(open.add(key)).as("%s opened twice", key).isTrue();
            } else if (type.endsWith("_END")) {
                assertThat(open.remove(key)).as("%s closed but not open", key).isTrue();
            } else {
                assertThat(open).as("%s outside its start", type).contains(key);
            }
        }
        if (types().getLast().equals("RUN_FINISHED")) {
            assertThat(open).as("open at RUN_FINISHED").isEmpty();
        }
        return this;
    }
}
