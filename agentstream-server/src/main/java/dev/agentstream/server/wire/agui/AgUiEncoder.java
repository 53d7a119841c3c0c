package dev.agentstream.server.wire.agui;

import static java.util.Objects.requireNonNull;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.Metrics;
import dev.agentstream.event.ReasoningCompleted;
import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.ReasoningStarted;
import dev.agentstream.event.ReasoningStep;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunContentCompleted;
import dev.agentstream.event.RunContinued;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunStarted;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.event.ToolCallError;
import dev.agentstream.event.ToolCallStarted;
import dev.agentstream.event.ToolExecution;
import dev.agentstream.server.sse.SseEncoder;
import dev.agentstream.server.sse.SseFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one run's events into AG-UI 1.0 events for one stream, in the order the client verifies:
 * {@code RUN_STARTED} (the request's {@code threadId} and {@code runId}), text messages, reasoning
 * and tool calls each opened before their content and closed before the run ends, then one
 * {@code RUN_FINISHED} (outcome absent for success, {@code interrupt} for a pause, {@code cancelled}
 * for a stop) or {@code RUN_ERROR}.
 *
 * <p>Per-stream state is what is open, per producing run: a team's leader and each member speak in
 * their own messages at the same time, a member's named after it. Message ids are made from the
 * producing run's id and the seq of the event that opened the message, so they stay unique across
 * a paused run's segments.
 *
 * <p>Thread contract: not thread-safe; one instance per stream, called by its connection's thread.
 */
final class AgUiEncoder implements SseEncoder {

    static final String PROTOCOL_VERSION = "1.0";

    private final String threadId;
    private final String runId;
    private final Map<String, Speaker> speakers = new LinkedHashMap<>();
    private Speaker current;
    private String model;

    /** An encoder for the stream answering the request with these ids. */
    AgUiEncoder(String threadId, String runId) {
        this.threadId = requireNonNull(threadId, "threadId");
        this.runId = requireNonNull(runId, "runId");
    }

    @Override
    public List<SseFrame> encode(RunEvent event) {
        long timestamp = event.createdAt() * 1000;
        if (event instanceof RunContent content) {
            // The per-token path: one frame once the message is open, nothing else.
            Speaker speaker = speaker(content);
            if (speaker.textId != null && !content.content().isEmpty()) {
                return List.of(frame(event, new AgUiEvent.TextMessageContent(speaker.textId, content.content(), timestamp)));
            }
        }
        List<AgUiEvent> out = new ArrayList<>(4);
        translate(event, timestamp, out);
        if (out.isEmpty()) {
            return List.of();
        }
        List<SseFrame> frames = new ArrayList<>(out.size());
        for (AgUiEvent agUi : out) {
            frames.add(frame(event, agUi));
        }
        return frames;
    }

    private void translate(RunEvent event, long ts, List<AgUiEvent> out) {
        boolean own = event.parentRunId() == null;
        switch (event) {
            case RunStarted started when own -> {
                model = started.model();
                out.add(new AgUiEvent.RunStarted(threadId, runId, PROTOCOL_VERSION, ts));
            }
            case RunContinued continued when own -> out.add(new AgUiEvent.RunStarted(threadId, runId, PROTOCOL_VERSION, ts));
            case RunContent content -> speaker(content).text(content, ts, out);
            case RunContentCompleted completed -> speaker(completed).closeText(ts, out);
            case ReasoningStarted started -> speaker(started).openReasoning(started, ts, out);
            case ReasoningContentDelta delta -> speaker(delta).reasoning(delta, delta.reasoningContent(), true, ts, out);
            case ReasoningStep step -> speaker(step).reasoning(step, step.reasoningContent(), false, ts, out);
            case ReasoningCompleted completed -> speaker(completed).closeReasoning(ts, out);
            case ToolCallStarted started -> speaker(started).toolCall(started, ts, out);
            case ToolCallCompleted completed -> speaker(completed).toolResult(completed.tool(),
                completed.tool().result(), ts, out);
            case ToolCallError error -> speaker(error).toolResult(error.tool(), error.error(), ts, out);
            case RunCompleted completed when own -> {
                closeAll(ts, out);
                out.add(new AgUiEvent.RunFinished(threadId, runId, null, usage(completed.metrics()), ts));
            }
            case RunPaused paused when own -> {
                closeAll(ts, out);
                out.add(new AgUiEvent.RunFinished(threadId, runId,
                    AgUiEvent.Outcome.interrupt(Interrupts.of(paused.requirements())), null, ts));
            }
            case RunCancelled cancelled when own -> {
                closeAll(ts, out);
                out.add(new AgUiEvent.RunFinished(threadId, runId, AgUiEvent.Outcome.CANCELLED, null, ts));
            }
            case RunError error when own -> {
                closeAll(ts, out);
                out.add(new AgUiEvent.RunError(error.content() == null ? "the run failed" : error.content(),
                    error.errorType(), ts));
            }
            default -> {
                // A member's start or end: its own messages close with it; the run goes on.
                if (event.endsRun()) {
                    speaker(event).close(ts, out);
                }
            }
        }
    }

    private Speaker speaker(RunEvent event) {
        Speaker speaker = current;
        if (speaker == null || !speaker.runId.equals(event.runId())) {
            speaker = speakers.computeIfAbsent(event.runId(),
                id -> new Speaker(id, event.parentRunId() == null ? null : event.agentId()));
            current = speaker;
        }
        return speaker;
    }

    private void closeAll(long ts, List<AgUiEvent> out) {
        for (Speaker speaker : speakers.values()) {
            speaker.close(ts, out);
        }
    }

    private List<AgUiEvent.TokenUsage> usage(Metrics metrics) {
        if (metrics == null || metrics.totalTokens() == 0) {
            return null;
        }
        return List.of(new AgUiEvent.TokenUsage(model, metrics.inputTokens(), metrics.outputTokens(),
            metrics.totalTokens()));
    }

    private static SseFrame frame(RunEvent event, AgUiEvent agUi) {
        return new SseFrame(Long.toString(event.seq()), null, agUi.json());
    }

    /**
     * What one producing run (the agent, a team's leader or one of its members) has open: its
     * text message, its reasoning, and the assistant message its next tool calls attach to.
     */
    private static final class Speaker {
        private final String runId;
        private final String name;
        private String textId;
        private String reasoningId;
        private boolean reasoningStreamed;
        /** The assistant message of the current turn, which tool calls attach to; null after a result. */
        private String turnMessageId;

        Speaker(String runId, String name) {
            this.runId = runId;
            this.name = name;
        }

        void text(RunContent content, long ts, List<AgUiEvent> out) {
            if (content.content().isEmpty()) {
                return;
            }
            closeReasoning(ts, out);
            if (textId == null) {
                textId = runId + "-" + content.seq();
                turnMessageId = textId;
                out.add(new AgUiEvent.TextMessageStart(textId, "assistant", name, ts));
            }
            out.add(new AgUiEvent.TextMessageContent(textId, content.content(), ts));
        }

        void closeText(long ts, List<AgUiEvent> out) {
            if (textId != null) {
                out.add(new AgUiEvent.TextMessageEnd(textId, ts));
                textId = null;
            }
        }

        void openReasoning(RunEvent event, long ts, List<AgUiEvent> out) {
            closeText(ts, out);
            if (reasoningId == null) {
                reasoningId = runId + "-r" + event.seq();
                reasoningStreamed = false;
                out.add(new AgUiEvent.ReasoningStart(reasoningId, ts));
                out.add(new AgUiEvent.ReasoningMessageStart(reasoningId, "reasoning", ts));
            }
        }

        /** A streamed chunk, or a whole step: a step repeats the chunks already streamed, so it is sent only without them. */
        void reasoning(RunEvent event, String text, boolean chunk, long ts, List<AgUiEvent> out) {
            if (text == null || text.isEmpty() || (!chunk && reasoningId != null && reasoningStreamed)) {
                return;
            }
            openReasoning(event, ts, out);
            reasoningStreamed |= chunk;
            out.add(new AgUiEvent.ReasoningMessageContent(reasoningId, text, ts));
        }

        void closeReasoning(long ts, List<AgUiEvent> out) {
            if (reasoningId != null) {
                out.add(new AgUiEvent.ReasoningMessageEnd(reasoningId, ts));
                out.add(new AgUiEvent.ReasoningEnd(reasoningId, ts));
                reasoningId = null;
            }
        }

        void toolCall(ToolCallStarted started, long ts, List<AgUiEvent> out) {
            closeText(ts, out);
            closeReasoning(ts, out);
            if (turnMessageId == null) {
                // No text this turn: the client makes the assistant message for this id itself.
                turnMessageId = runId + "-" + started.seq();
            }
            ToolExecution tool = started.tool();
            String args = tool.toolArgs() == null ? "{}" : EventJson.write(tool.toolArgs());
            out.add(new AgUiEvent.ToolCallStart(tool.toolCallId(), tool.toolName(), turnMessageId, ts));
            out.add(new AgUiEvent.ToolCallArgs(tool.toolCallId(), args, ts));
            out.add(new AgUiEvent.ToolCallEnd(tool.toolCallId(), ts));
        }

        void toolResult(ToolExecution tool, String result, long ts, List<AgUiEvent> out) {
            // The model answers the results in a new turn, whose tool calls need a new message.
            turnMessageId = null;
            out.add(new AgUiEvent.ToolCallResult(tool.toolCallId() + "-result", tool.toolCallId(),
                result == null ? "" : result, "tool", ts));
        }

        void close(long ts, List<AgUiEvent> out) {
            closeText(ts, out);
            closeReasoning(ts, out);
        }
    }
}
