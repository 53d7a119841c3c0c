package dev.agentstream;

import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.UserInputField;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks that continue's decisions answer exactly the requirements a paused run waits for. */
final class DecisionCheck {

    private DecisionCheck() {
    }

    /** What is wrong with the decisions, or empty if they fit. */
    static Optional<String> problem(List<RunRequirement> waiting, List<ToolDecision> decisions) {
        if (decisions == null) {
            return Optional.of("tools: missing (expected one decision per pending tool call)");
        }
        Map<String, ToolDecision> byId = new HashMap<>();
        for (ToolDecision decision : decisions) {
            if (decision == null || decision.toolCallId() == null) {
                return Optional.of("tools[].tool_call_id: missing");
            }
            if (byId.put(decision.toolCallId(), decision) != null) {
                return Optional.of("tool_call_id: " + decision.toolCallId() + " (expected: once)");
            }
        }
        for (RunRequirement requirement : waiting) {
            ToolDecision decision = byId.remove(requirement.toolCallId());
            if (decision == null) {
                return Optional.of("no decision for tool_call_id " + requirement.toolCallId()
                    + " (" + requirement.tool().toolName() + ", " + requirement.kind() + ")");
            }
            Optional<String> misfit = misfit(requirement, decision);
            if (misfit.isPresent()) {
                return misfit;
            }
        }
        if (!byId.isEmpty()) {
            return Optional.of("tool_call_id: " + byId.keySet() + " (expected: one of the pending calls)");
        }
        return Optional.empty();
    }

    private static Optional<String> misfit(RunRequirement requirement, ToolDecision decision) {
        String id = requirement.toolCallId();
        return switch (requirement.kind()) {
            case CONFIRMATION -> decision.confirmed() == null
                ? Optional.of("confirmed: missing for tool_call_id " + id + " (expected: true or false)")
                : Optional.empty();
            case EXTERNAL_EXECUTION -> decision.result() == null
                ? Optional.of("result: missing for tool_call_id " + id + " (expected: the external result)")
                : Optional.empty();
            case USER_INPUT -> {
                Map<String, Object> input = decision.userInput() == null ? Map.of() : decision.userInput();
                for (UserInputField field : requirement.userInputSchema()) {
                    if (!input.containsKey(field.name())) {
                        yield Optional.of("user_input." + field.name() + ": missing for tool_call_id " + id);
                    }
                }
                yield Optional.empty();
            }
        };
    }
}
