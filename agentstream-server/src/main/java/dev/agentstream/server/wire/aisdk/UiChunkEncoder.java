package dev.agentstream.server.wire.aisdk;

import dev.agentstream.event.ReasoningCompleted;
import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunContentCompleted;
import dev.agentstream.event.RunContinued;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunRequirement;
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
 * Turns a run's events into the AI SDK's UI message chunks, one {@code data:} frame each, using
 * only what v5, v6 and v7 clients all accept (approval chunks, v6+, only when a tool waits for
 * one). Per-stream state: whether {@code start} went out, whether a step is open and whether a tool
 * result came in it (the next model output is then a new model call, a new step), and the open
 * text and reasoning parts.
 *
 * <p>The assistant message's id is the run's id, so a continued run answers into the same message
 * and a replay rebuilds that message in place. Part ids come from the seq of the event that opened
 * them: a replay makes the same chunks as the live stream did.
 *
 * <p>A team member's text stays inside the delegation call's result; its tool calls are shown,
 * because the team's pause may wait on one of them.
 *
 * <p>Thread contract: not thread-safe; one instance per stream. The returned list is reused by the
 * next call.
 */
final class UiChunkEncoder implements SseEncoder {

    static final SseFrame DONE = new SseFrame(null, null, "[DONE]");

    private final ChunkJson json = new ChunkJson();
    private final List<SseFrame> frames = new ArrayList<>(4);
    private boolean started;
    private boolean stepOpen;
    private boolean toolResultInStep;
    private String textId;
    private String reasoningId;

    @Override
    public List<SseFrame> encode(RunEvent event) {
        frames.clear();
        boolean own = event.parentRunId() == null;
        switch (event) {
            case RunContent e when own -> text(e.seq(), e.content());
            case ReasoningContentDelta e when own -> reasoning(e.seq(), e.reasoningContent());
            case RunContentCompleted e when own -> endText();
            case ReasoningCompleted e when own -> endReasoning();
            case ToolCallStarted e -> toolCall(own, e.tool());
            case ToolCallCompleted e -> toolResult(own, e.tool());
            case ToolCallError e -> toolError(own, e.tool().toolCallId(), e.error());
            case RunStarted e when own -> start(e);
            case RunContinued e when own -> start(e);
            case RunPaused e when own -> paused(e.requirements());
            case RunCompleted e when own -> finish("stop");
            case RunCancelled e when own -> aborted(e.reason());
            case RunError e when own -> failed(e.content());
            default -> {
                // ReasoningStarted, ReasoningStep and members' own text: nothing of their own on this wire.
            }
        }
        return frames;
    }

    /** The id of the approval asked for a tool call; the client sends it back with the decision. */
    static String approvalId(String toolCallId) {
        return "approval-" + toolCallId;
    }

    private void start(RunEvent event) {
        if (started) {
            return; // A replay of a continued run: the client knows this message already.
        }
        started = true;
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("run_id", event.runId());
        metadata.put("session_id", event.sessionId());
        metadata.put(event.teamId() != null ? "team_id" : "agent_id", event.teamId() != null ? event.teamId() : event.agentId());
        emit(json.begin("start").string("messageId", event.runId()).value("messageMetadata", metadata));
    }

    private void text(long seq, String delta) {
        modelOutput();
        endReasoning();
        if (textId == null) {
            textId = "text-" + seq;
            emit(json.begin("text-start").string("id", textId));
        }
        emit(json.begin("text-delta").string("id", textId).string("delta", delta));
    }

    private void reasoning(long seq, String delta) {
        modelOutput();
        endText();
        if (reasoningId == null) {
            reasoningId = "reasoning-" + seq;
            emit(json.begin("reasoning-start").string("id", reasoningId));
        }
        emit(json.begin("reasoning-delta").string("id", reasoningId).string("delta", delta));
    }

    private void endText() {
        if (textId != null) {
            emit(json.begin("text-end").string("id", textId));
            textId = null;
        }
    }

    private void endReasoning() {
        if (reasoningId != null) {
            emit(json.begin("reasoning-end").string("id", reasoningId));
            reasoningId = null;
        }
    }

    /**
     * The run's model produced something: it belongs to the open step, unless a tool result came
     * since, in which case this is the next model call.
     */
    private void modelOutput() {
        if (stepOpen && toolResultInStep) {
            endStep();
        }
        if (!stepOpen) {
            emit(json.begin("start-step"));
            stepOpen = true;
            // Results that came outside a step (a continued run's decided calls) belong to the call before.
            toolResultInStep = false;
        }
    }

    private void endStep() {
        endText();
        endReasoning();
        if (stepOpen) {
            emit(json.begin("finish-step"));
            stepOpen = false;
            toolResultInStep = false;
        }
    }

    private void toolCall(boolean own, ToolExecution tool) {
        if (own) {
            modelOutput();
            endText();
            endReasoning();
        }
        Map<String, Object> input = tool.toolArgs() == null ? Map.of() : tool.toolArgs();
        // The run model has a call's arguments whole: one delta carries all of them.
        emit(json.begin("tool-input-start").string("toolCallId", tool.toolCallId()).string("toolName", tool.toolName()));
        emit(json.begin("tool-input-delta").string("toolCallId", tool.toolCallId())
            .string("inputTextDelta", ChunkJson.text(input)));
        emit(json.begin("tool-input-available").string("toolCallId", tool.toolCallId())
            .string("toolName", tool.toolName()).value("input", input));
    }

    private void toolResult(boolean own, ToolExecution tool) {
        if (Boolean.FALSE.equals(tool.confirmed())) {
            emit(json.begin("tool-output-denied").string("toolCallId", tool.toolCallId()));
        } else {
            emit(json.begin("tool-output-available").string("toolCallId", tool.toolCallId())
                .stringOrNull("output", tool.result()));
        }
        toolResultInStep |= own;
    }

    private void toolError(boolean own, String toolCallId, String error) {
        emit(json.begin("tool-output-error").string("toolCallId", toolCallId)
            .string("errorText", error == null ? "the tool failed" : error));
        toolResultInStep |= own;
    }

    /**
     * The run waits: approvals are asked for here; a call that waits for user input or an external
     * result is already {@code input-available}, which is all the client needs to act. No step is
     * opened after the calls waited on.
     */
    private void paused(List<RunRequirement> requirements) {
        for (RunRequirement requirement : requirements) {
            if (requirement.kind() == RunRequirement.Kind.CONFIRMATION) {
                emit(json.begin("tool-approval-request").string("approvalId", approvalId(requirement.toolCallId()))
                    .string("toolCallId", requirement.toolCallId()));
            }
        }
        finish("tool-calls");
    }

    private void finish(String reason) {
        endStep();
        emit(json.begin("finish").string("finishReason", reason));
        frames.add(DONE);
    }

    /** A stop: what the SDK's own {@code streamText} sends when its abort signal fires (no {@code finish}). */
    private void aborted(String reason) {
        endText();
        endReasoning();
        emit(json.begin("abort").string("reason", reason));
        frames.add(DONE);
    }

    private void failed(String message) {
        emit(json.begin("error").string("errorText", message == null ? "the run failed" : message));
        frames.add(DONE);
    }

    private void emit(ChunkJson chunk) {
        frames.add(new SseFrame(null, null, chunk.end()));
    }
}
