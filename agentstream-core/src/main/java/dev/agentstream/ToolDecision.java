package dev.agentstream;

import java.util.Map;

/**
 * A person's answer to one pending tool call of a paused run.
 *
 * @param confirmed approve (true) or reject (false) a call that requires confirmation
 * @param confirmationNote why, told to the model with a rejection
 * @param userInput values for the requested fields
 * @param result the result of an externally executed call
 */
public record ToolDecision(String toolCallId, Boolean confirmed, String confirmationNote,
                           Map<String, Object> userInput, String result) {

    public static ToolDecision confirm(String toolCallId) {
        return new ToolDecision(toolCallId, true, null, null, null);
    }

    public static ToolDecision reject(String toolCallId, String note) {
        return new ToolDecision(toolCallId, false, note, null, null);
    }

    public static ToolDecision input(String toolCallId, Map<String, Object> values) {
        return new ToolDecision(toolCallId, null, null, Map.copyOf(values), null);
    }

    public static ToolDecision externalResult(String toolCallId, String result) {
        return new ToolDecision(toolCallId, null, null, null, result);
    }
}
