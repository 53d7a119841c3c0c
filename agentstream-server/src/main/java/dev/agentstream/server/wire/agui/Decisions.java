package dev.agentstream.server.wire.agui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.ToolDecision;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.server.http.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A person's answers, as AG-UI carries them, turned into the decisions a paused run continues
 * with, by what each call waits for (Agno's conventions): a confirmation
 * {@code {"accepted": bool, "note"?}}, user input {@code {"values": {…}}}, an external execution
 * its result. A cancelled interrupt or a tool message with an {@code error} rejects a confirmation
 * and answers an external call with that refusal; user input cannot be declined (the tool needs
 * the values), so that is a 422. Whether every pending call is answered is the runtime's check.
 */
final class Decisions {

    static final String CANCELLED_RESULT = "The user cancelled this tool call; it was not executed.";

    private Decisions() {
    }

    static List<ToolDecision> of(List<RunRequirement> waiting, List<RunAgentInput.Answer> answers) {
        Map<String, RunRequirement> byId = new LinkedHashMap<>();
        waiting.forEach(r -> byId.put(r.toolCallId(), r));
        List<ToolDecision> decisions = new ArrayList<>(answers.size());
        for (RunAgentInput.Answer answer : answers) {
            RunRequirement requirement = byId.get(answer.toolCallId());
            if (requirement == null) {
                throw ApiError.invalid("tool call " + answer.toolCallId() + ": not one the paused run waits for"
                    + " (expected one of " + byId.keySet() + ")");
            }
            decisions.add(decision(requirement, answer));
        }
        return decisions;
    }

    private static ToolDecision decision(RunRequirement requirement, RunAgentInput.Answer answer) {
        String id = answer.toolCallId();
        boolean declined = answer.cancelled() || answer.error() != null;
        JsonNode payload = answer.payload();
        return switch (requirement.kind()) {
            case CONFIRMATION -> {
                if (declined) {
                    yield ToolDecision.reject(id, answer.error());
                }
                JsonNode accepted = payload == null ? null : payload.isBoolean() ? payload : payload.get("accepted");
                if (accepted == null || !accepted.isBoolean()) {
                    throw ApiError.invalid("answer to " + id + ": no \"accepted\" (expected: {\"accepted\": true|false,"
                        + " \"note\"?: \"…\"})");
                }
                JsonNode note = payload.isObject() ? payload.get("note") : null;
                yield new ToolDecision(id, accepted.booleanValue(), note != null && note.isTextual() ? note.textValue()
                    : null, null, null);
            }
            case USER_INPUT -> {
                JsonNode values = payload == null ? null : payload.get("values");
                if (declined || values == null || !values.isObject()) {
                    throw ApiError.invalid("answer to " + id + ": no \"values\" (expected: {\"values\": {…}} with the"
                        + " requested fields; input cannot be declined)");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> map = AgUiEvent.MAPPER.convertValue(values, Map.class);
                // Not ToolDecision.input: a person may answer a field with null.
                yield new ToolDecision(id, null, null, map, null);
            }
            case EXTERNAL_EXECUTION -> {
                if (answer.cancelled()) {
                    yield ToolDecision.externalResult(id, CANCELLED_RESULT);
                }
                if (answer.error() != null) {
                    yield ToolDecision.externalResult(id, "Error: " + answer.error());
                }
                if (payload == null) {
                    throw ApiError.invalid("answer to " + id + ": no result (expected: the tool's result)");
                }
                yield ToolDecision.externalResult(id, payload.isTextual() ? payload.textValue() : payload.toString());
            }
        };
    }
}
