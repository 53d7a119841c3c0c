package dev.agentstream.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;

/**
 * One step of a run, as every reader sees it. Events are immutable and numbered: {@link #seq()}
 * starts at 1 for each run and grows by one with no gaps, also across pause and continue, so a
 * reader that saw event {@code n} resumes exactly after it.
 *
 * <p>The wire name ({@code "event"} in JSON) is the record's simple name, which is Agno's event
 * name, so Agno clients understand the stream; a team's own events carry Agno's {@code Team} prefix
 * ({@code TeamRunContent}) and a {@code team_id} instead of an {@code agent_id}. Exactly one terminal event ends each segment of a
 * run: {@link RunCompleted}, {@link RunCancelled}, {@link RunError} or {@link RunPaused}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, include = JsonTypeInfo.As.PROPERTY, property = "event")
@JsonTypeIdResolver(EventNameResolver.class)
public sealed interface RunEvent
    permits RunStarted, RunContent, RunContentCompleted, ToolCallStarted, ToolCallCompleted,
        ToolCallError, ReasoningStarted, ReasoningContentDelta, ReasoningStep, ReasoningCompleted,
        RunPaused, RunContinued, RunCancelled, RunError, RunCompleted {

    /** Position in the run: 1, 2, 3 … with no gaps. Written as the SSE {@code id:}. */
    long seq();

    String runId();

    String sessionId();

    /** The agent that produced the event; null for a team's own events. */
    String agentId();

    /** The team whose own event this is; null for agents' events (also those of a team's members). */
    String teamId();

    /** The team run this run belongs to, or null for a top-level run. */
    String parentRunId();

    /** Epoch seconds, as Agno sends them. */
    long createdAt();

    /** The wire name, e.g. {@code "RunContent"}, or {@code "TeamRunContent"} for a team's own event. */
    default String eventName() {
        return teamId() == null ? getClass().getSimpleName() : "Team" + getClass().getSimpleName();
    }

    /**
     * True for the events that end a segment of the stream: the run's own completed, cancelled,
     * error or paused. A team member's end (it has a {@code parentRunId}) ends only that member.
     */
    @JsonIgnore
    default boolean isTerminal() {
        return parentRunId() == null && endsRun();
    }

    /** True for completed, cancelled, error and paused, of this event's own run (top-level or member). */
    @JsonIgnore
    default boolean endsRun() {
        return this instanceof RunCompleted || this instanceof RunCancelled
            || this instanceof RunError || this instanceof RunPaused;
    }

    /** True for the events after which nothing more can happen in the run (pause is not one). */
    @JsonIgnore
    default boolean isFinal() {
        return isTerminal() && !(this instanceof RunPaused);
    }
}
