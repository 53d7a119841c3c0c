package dev.agentstream.server.wire.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.ToolDecision;
import dev.agentstream.event.EventJson;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonFields;
import dev.agentstream.server.run.DisconnectPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /v1/runs/{run_id}/continue}, validated: one decision per pending tool
 * call. Whether the decisions fit the run's requirements is checked by the runtime (422).
 *
 * @param policy the disconnect policy for the new segment, or null to keep the run's
 */
record ContinueBody(List<ToolDecision> decisions, boolean stream, DisconnectPolicy policy) {

    static final Set<String> FIELDS = Set.of("tools", "stream", "on_disconnect");
    static final Set<String> DECISION_FIELDS = Set.of("tool_call_id", "confirmed", "confirmation_note", "user_input", "result");

    static ContinueBody parse(ObjectNode node) {
        JsonFields fields = JsonFields.of(node, FIELDS);
        List<JsonNode> items = fields.requiredArray("tools");
        List<ToolDecision> decisions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "tools[" + i + "].";
            if (!(items.get(i) instanceof ObjectNode item)) {
                throw ApiError.invalid("tools[" + i + "]: not an object (expected: {\"tool_call_id\": …, …})");
            }
            decisions.add(decision(JsonFields.of(item, DECISION_FIELDS, prefix)));
        }
        boolean stream = fields.bool("stream").orElse(true);
        DisconnectPolicy policy = fields.choice("on_disconnect", DisconnectPolicy::fromWire, "\"cancel\" or \"continue\"")
            .orElse(null);
        return new ContinueBody(List.copyOf(decisions), stream, policy);
    }

    private static ToolDecision decision(JsonFields item) {
        String toolCallId = item.requiredString("tool_call_id");
        Boolean confirmed = item.bool("confirmed").orElse(null);
        String note = item.string("confirmation_note").orElse(null);
        Map<String, Object> userInput = item.object("user_input").map(ContinueBody::toMap).orElse(null);
        // An external result may be any JSON; the model gets it as text.
        String result = item.any("result").map(r -> r.isTextual() ? r.textValue() : r.toString()).orElse(null);
        return new ToolDecision(toolCallId, confirmed, note, userInput, result);
    }

    private static Map<String, Object> toMap(ObjectNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), EventJson.mapper().convertValue(e.getValue(), Object.class)));
        return map;
    }
}
