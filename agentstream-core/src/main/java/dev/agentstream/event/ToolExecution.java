package dev.agentstream.event;

import java.util.List;
import java.util.Map;

/**
 * One tool call of a run, as Agno describes it. Flags that do not apply are null, so they are left
 * out of the JSON.
 *
 * @param toolArgs the arguments the model gave, as parsed JSON
 * @param result the tool's result text; null until it ran
 * @param toolCallError true if the tool threw
 * @param requiresConfirmation a person must approve the call before it runs
 * @param confirmed the person's decision, once made
 * @param requiresUserInput a person must fill in {@code userInputSchema} before it runs
 * @param externalExecutionRequired the call is run outside agentstream; its result comes with continue
 * @param metrics how long the tool ran
 */
public record ToolExecution(
    String toolCallId,
    String toolName,
    Map<String, Object> toolArgs,
    String result,
    Boolean toolCallError,
    Boolean requiresConfirmation,
    Boolean confirmed,
    String confirmationNote,
    Boolean requiresUserInput,
    List<UserInputField> userInputSchema,
    Boolean externalExecutionRequired,
    ToolMetrics metrics) {

    /** A call that has just been made, with no HITL flags. */
    public static ToolExecution started(String toolCallId, String toolName, Map<String, Object> toolArgs) {
        return new ToolExecution(toolCallId, toolName, toolArgs, null, null, null, null, null, null, null, null, null);
    }

    /** True if a person must act before the call can run. */
    public boolean needsPerson() {
        return Boolean.TRUE.equals(requiresConfirmation) || Boolean.TRUE.equals(requiresUserInput)
            || Boolean.TRUE.equals(externalExecutionRequired);
    }

    public ToolExecution withResult(String newResult, boolean error, ToolMetrics newMetrics) {
        return new ToolExecution(toolCallId, toolName, toolArgs, newResult, error ? Boolean.TRUE : null,
            requiresConfirmation, confirmed, confirmationNote, requiresUserInput, userInputSchema,
            externalExecutionRequired, newMetrics);
    }

    public ToolExecution withArgs(Map<String, Object> newArgs) {
        return new ToolExecution(toolCallId, toolName, newArgs, result, toolCallError, requiresConfirmation, confirmed,
            confirmationNote, requiresUserInput, userInputSchema, externalExecutionRequired, metrics);
    }

    public ToolExecution withRequirements(Boolean confirmation, Boolean userInput, List<UserInputField> schema,
                                          Boolean external) {
        return new ToolExecution(toolCallId, toolName, toolArgs, result, toolCallError, confirmation, confirmed,
            confirmationNote, userInput, schema, external, metrics);
    }

    public ToolExecution withDecision(Boolean newConfirmed, String note, List<UserInputField> filledSchema) {
        return new ToolExecution(toolCallId, toolName, toolArgs, result, toolCallError, requiresConfirmation,
            newConfirmed, note, requiresUserInput, filledSchema, externalExecutionRequired, metrics);
    }

    /** How long a tool ran. */
    public record ToolMetrics(double duration) {
    }
}
