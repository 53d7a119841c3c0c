package dev.agentstream.server.wire.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.agentstream.event.EventJson;
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
import dev.agentstream.server.sse.SseEncoder;
import dev.agentstream.server.sse.SseFrame;
import java.util.List;

/**
 * A run as OpenAI's {@code chat.completion.chunk} stream: frames with only {@code data:}, the
 * answer's text as {@code delta.content}, reasoning as {@code delta.reasoning_content}, a last
 * chunk with {@code finish_reason}, a usage chunk when asked for, then {@code data: [DONE]}. A run
 * that does not complete ends with OpenAI's error object instead, which the SDKs raise.
 *
 * <p>Tool calls, reasoning summaries and team members' steps are the agent's inner work and send
 * nothing. Stateful per stream only in what every chunk repeats ({@link CompletionIds}, fixed when
 * the request started), so the JSON before a delta is built once and each token costs one string.
 *
 * <p>Thread contract: not thread-safe; one instance per stream, used by its connection's thread.
 */
final class ChunkEncoder implements SseEncoder {

    static final SseFrame DONE = new SseFrame(null, null, "[DONE]");
    private static final String OPEN_CHOICE = "\"choices\":[{\"index\":0,\"delta\":{";
    private static final String CLOSE_CHOICE = "},\"finish_reason\":null}]}";

    private final CompletionIds ids;
    private final boolean includeUsage;
    /** {@code {"id":…,"object":…,"created":…,"model":…,"choices":[{"index":0,"delta":{}: the same in every delta chunk. */
    private final String deltaPrefix;

    ChunkEncoder(CompletionIds ids, boolean includeUsage) {
        this.ids = ids;
        this.includeUsage = includeUsage;
        this.deltaPrefix = "{\"id\":" + quoted(ids.id()) + ",\"object\":\"chat.completion.chunk\",\"created\":"
            + ids.created() + ",\"model\":" + quoted(ids.model()) + "," + OPEN_CHOICE;
    }

    @Override
    public List<SseFrame> encode(RunEvent event) {
        if (event.parentRunId() != null) {
            // A team member's step: the answer is the leader's.
            return List.of();
        }
        return switch (event) {
            case RunStarted started -> delta("\"role\":\"assistant\",\"content\":\"\"");
            case RunContent content -> text("content", content.content());
            case ReasoningContentDelta reasoning -> text("reasoning_content", reasoning.reasoningContent());
            case RunCompleted completed -> completed(completed);
            case RunError error -> failed(error.content() == null ? "the run failed" : error.content(),
                "server_error", error.errorType() == null ? "run_error" : error.errorType());
            case RunCancelled cancelled -> failed(RunOutcomes.cancelledMessage(cancelled.runId(), cancelled.reason()),
                "server_error", "run_cancelled");
            case RunPaused paused -> failed(RunOutcomes.pausedMessage(paused.runId()), "invalid_request_error",
                "run_paused");
            case RunContentCompleted ignored -> List.of();
            case ToolCallStarted ignored -> List.of();
            case ToolCallCompleted ignored -> List.of();
            case ToolCallError ignored -> List.of();
            case ReasoningStarted ignored -> List.of();
            case ReasoningStep ignored -> List.of();
            case ReasoningCompleted ignored -> List.of();
            case RunContinued ignored -> List.of();
        };
    }

    private List<SseFrame> text(String field, String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        StringBuilder data = new StringBuilder(deltaPrefix.length() + text.length() + 64)
            .append(deltaPrefix).append('"').append(field).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(text, data);
        return List.of(new SseFrame(null, null, data.append('"').append(CLOSE_CHOICE).toString()));
    }

    private List<SseFrame> delta(String fields) {
        return List.of(new SseFrame(null, null, deltaPrefix + fields + CLOSE_CHOICE));
    }

    private List<SseFrame> completed(RunCompleted completed) {
        SseFrame last = json(new OpenAiViews.Chunk(ids,
            List.of(new OpenAiViews.ChunkChoice(0, OpenAiViews.Delta.EMPTY, "stop")), null));
        if (!includeUsage) {
            return List.of(last, DONE);
        }
        SseFrame usage = json(new OpenAiViews.Chunk(ids, List.of(), OpenAiViews.Usage.of(completed.metrics())));
        return List.of(last, usage, DONE);
    }

    private static List<SseFrame> failed(String message, String type, String code) {
        return List.of(json(new OpenAiViews.ErrorBody(new OpenAiViews.Error(message, type, null, code))), DONE);
    }

    private static SseFrame json(Object body) {
        return new SseFrame(null, null, EventJson.write(body));
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        return out.append('"').toString();
    }
}
