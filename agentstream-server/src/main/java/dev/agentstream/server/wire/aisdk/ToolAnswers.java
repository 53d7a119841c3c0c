package dev.agentstream.server.wire.aisdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.ToolDecision;
import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.server.http.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the person's answers to a paused run out of the assistant message the client sends back:
 * an approval ({@code approval-responded}, from {@code addToolApprovalResponse}) for a call that
 * needs confirmation, an output ({@code output-available} / {@code output-error}, from
 * {@code addToolOutput}) for one that needs user input or external execution. Only calls the run
 * waits for are read, so the client's copy cannot answer anything else; an approval must carry
 * the id this server issued for that call. Stateless.
 */
final class ToolAnswers {

    private ToolAnswers() {
    }

    /** One decision per answered requirement, in the requirements' order; 422 if none is answered. */
    static List<ToolDecision> decisions(UiMessage assistant, List<RunRequirement> waitingFor) {
        Map<String, ObjectNode> parts = new LinkedHashMap<>();
        assistant.toolParts().forEach(part -> parts.put(part.get("toolCallId").textValue(), part));
        List<ToolDecision> decisions = new ArrayList<>();
        for (RunRequirement requirement : waitingFor) {
            ObjectNode part = parts.get(requirement.toolCallId());
            ToolDecision decision = part == null ? null : decision(requirement, part);
            if (decision != null) {
                decisions.add(decision);
            }
        }
        if (decisions.isEmpty()) {
            throw ApiError.invalid("messages: the last message answers none of the tool calls the run waits for"
                + " (expected: approval-responded or output-available parts for " + ids(waitingFor) + ")");
        }
        return decisions;
    }

    private static ToolDecision decision(RunRequirement requirement, ObjectNode part) {
        String id = requirement.toolCallId();
        String state = part.path("state").asText();
        return switch (requirement.kind()) {
            case CONFIRMATION -> approval(id, part.path("approval"));
            case USER_INPUT -> "output-available".equals(state) ? userInput(id, part.get("output")) : null;
            case EXTERNAL_EXECUTION -> switch (state) {
                case "output-available" -> ToolDecision.externalResult(id, text(part.get("output")));
                case "output-error" -> ToolDecision.externalResult(id, "Error: " + part.path("errorText").asText("failed"));
                default -> null;
            };
        };
    }

    private static ToolDecision approval(String toolCallId, JsonNode approval) {
        JsonNode approved = approval.get("approved");
        if (approved == null || !approved.isBoolean()) {
            return null;
        }
        if (!UiChunkEncoder.approvalId(toolCallId).equals(approval.path("id").asText())) {
            throw ApiError.invalid("approval.id: \"" + approval.path("id").asText() + "\" for tool call " + toolCallId
                + " (expected: the approvalId this server sent, " + UiChunkEncoder.approvalId(toolCallId) + ")");
        }
        String reason = approval.path("reason").isTextual() ? approval.get("reason").textValue() : null;
        return new ToolDecision(toolCallId, approved.booleanValue(), reason, null, null);
    }

    private static ToolDecision userInput(String toolCallId, JsonNode output) {
        if (!(output instanceof ObjectNode values)) {
            throw ApiError.invalid("output of tool call " + toolCallId + ": not an object (expected: the values asked"
                + " for, by field name)");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        values.properties().forEach(e -> map.put(e.getKey(), EventJson.mapper().convertValue(e.getValue(), Object.class)));
        return ToolDecision.input(toolCallId, map);
    }

    /** An external result for the model: a string as it is, anything else as JSON. */
    private static String text(JsonNode output) {
        if (output == null || output.isNull()) {
            return "";
        }
        return output.isTextual() ? output.textValue() : output.toString();
    }

    private static String ids(List<RunRequirement> requirements) {
        return String.join(", ", requirements.stream().map(RunRequirement::toolCallId).toList());
    }
}
