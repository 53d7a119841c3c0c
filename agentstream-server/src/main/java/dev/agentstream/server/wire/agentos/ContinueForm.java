package dev.agentstream.server.wire.agentos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.ToolDecision;
import dev.agentstream.event.EventJson;
import dev.agentstream.server.http.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The form of {@code POST /agents/{agent_id}/runs/{run_id}/continue}: {@code tools}, the JSON array
 * of the paused tool calls as the {@code RunPaused} event listed them, each with the user's decision
 * filled in (Agno's shape): {@code confirmed} and {@code confirmation_note} for a confirmation, the
 * {@code value}s of {@code user_input_schema} for user input, {@code result} for an external call;
 * and {@code stream} (default true). Whether the decisions fit the run is the runtime's check (422).
 */
record ContinueForm(List<ToolDecision> decisions, boolean stream) {

    static final Set<String> FIELDS = Set.of("tools", "stream", "session_id", "user_id");

    static ContinueForm parse(FormBody form) {
        String text = form.text("tools").filter(t -> !t.isBlank())
            .orElseThrow(() -> ApiError.invalid("tools: missing (expected: a JSON array of the paused tools with decisions)"));
        JsonNode tools;
        try {
            tools = EventJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "tools: not valid JSON (expected: a JSON array of the paused tools)");
        }
        if (tools == null || !tools.isArray()) {
            throw ApiError.invalid("tools: not a JSON array (expected: the paused tools with decisions)");
        }
        List<ToolDecision> decisions = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            decisions.add(decision(tools.get(i), "tools[" + i + "]"));
        }
        return new ContinueForm(List.copyOf(decisions), form.bool("stream", true));
    }

    private static ToolDecision decision(JsonNode tool, String where) {
        if (!tool.isObject()) {
            throw ApiError.invalid(where + ": not an object (expected: {\"tool_call_id\": …, …})");
        }
        JsonNode id = tool.get("tool_call_id");
        if (id == null || !id.isTextual() || id.textValue().isBlank()) {
            throw ApiError.invalid(where + ".tool_call_id: missing (expected: the paused call's id)");
        }
        Boolean confirmed = optional(tool, "confirmed").map(c -> {
            if (!c.isBoolean()) {
                throw ApiError.invalid(where + ".confirmed: not a boolean (expected: true or false)");
            }
            return c.booleanValue();
        }).orElse(null);
        String note = optional(tool, "confirmation_note").map(JsonNode::asText).orElse(null);
        String result = optional(tool, "result").map(r -> r.isTextual() ? r.textValue() : r.toString()).orElse(null);
        return new ToolDecision(id.textValue(), confirmed, note, userInput(tool, where), result);
    }

    /** The values of {@code user_input_schema} fields that have one; null when there are none. */
    private static Map<String, Object> userInput(JsonNode tool, String where) {
        JsonNode schema = tool.get("user_input_schema");
        if (schema == null || schema.isNull()) {
            return null;
        }
        if (!schema.isArray()) {
            throw ApiError.invalid(where + ".user_input_schema: not an array (expected: the fields with their value)");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (JsonNode field : schema) {
            JsonNode name = field.get("name");
            JsonNode value = field.get("value");
            if (name != null && name.isTextual() && value != null && !value.isNull()) {
                values.put(name.textValue(), EventJson.mapper().convertValue(value, Object.class));
            }
        }
        return values.isEmpty() ? null : values;
    }

    private static java.util.Optional<JsonNode> optional(JsonNode tool, String field) {
        JsonNode value = tool.get(field);
        return value == null || value.isNull() ? java.util.Optional.empty() : java.util.Optional.of(value);
    }
}
