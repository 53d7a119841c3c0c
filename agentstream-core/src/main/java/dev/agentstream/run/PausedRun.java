package dev.agentstream.run;

import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.ToolExecution;
import java.util.List;

/**
 * Everything needed to continue a paused run in another process: the conversation so far (as
 * LangChain4j's JSON of its chat messages), what the run waits for, and where its numbering and
 * output stand. Immutable; stored as JSON by the store.
 *
 * @param messagesJson LangChain4j {@code ChatMessageSerializer.messagesToJson} of the model's messages
 * @param tools every tool call of the run so far, the pending ones last
 * @param lastSeq the seq of the {@code RunPaused} event
 * @param startedAtMillis when the run started, for its duration
 */
public record PausedRun(
    RunInfo run,
    String messagesJson,
    List<RunRequirement> requirements,
    List<ToolExecution> tools,
    String content,
    String reasoningContent,
    long inputTokens,
    long outputTokens,
    long lastSeq,
    long startedAtMillis) {
}
