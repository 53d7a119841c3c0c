package dev.agentstream.run;

import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.ToolExecution;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to continue a paused run in another process: the conversation so far (as
 * LangChain4j's JSON of its chat messages), what the run waits for, and where its numbering and
 * output stand. Immutable; stored as JSON by the store.
 *
 * @param messagesJson LangChain4j {@code ChatMessageSerializer.messagesToJson} of the model's messages
 * @param tools every tool call of the run so far, the pending ones last
 * @param lastSeq the seq of the {@code RunPaused} event
 * @param startedAtMillis when the run started, for its duration
 * @param members for a team, the states of its member runs that paused with it (each names the
 *     leader's tool call it answers in {@link RunInfo#delegationCallId()}); the store fills them in
 *     from the members' own rows. Empty for an agent.
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
    long startedAtMillis,
    List<PausedRun> members) {

    public PausedRun {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** The state of a run whose paused members, if any, are not filled in (yet). */
    public PausedRun(RunInfo run, String messagesJson, List<RunRequirement> requirements, List<ToolExecution> tools,
                     String content, String reasoningContent, long inputTokens, long outputTokens, long lastSeq,
                     long startedAtMillis) {
        this(run, messagesJson, requirements, tools, content, reasoningContent, inputTokens, outputTokens, lastSeq,
            startedAtMillis, List.of());
    }

    /** This state with its paused member runs' states. */
    public PausedRun withMembers(List<PausedRun> pausedMembers) {
        Objects.requireNonNull(pausedMembers, "pausedMembers");
        return new PausedRun(run, messagesJson, requirements, tools, content, reasoningContent, inputTokens,
            outputTokens, lastSeq, startedAtMillis, pausedMembers);
    }
}
