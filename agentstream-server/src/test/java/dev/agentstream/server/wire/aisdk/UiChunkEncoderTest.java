package dev.agentstream.server.wire.aisdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentstream.event.EventHeader;
import dev.agentstream.event.ReasoningCompleted;
import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.ReasoningStarted;
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
import dev.agentstream.server.sse.SseFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The chunk rules the AI SDK client enforces (its zod schema and part bookkeeping), checked on the encoder's output. */
class UiChunkEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Required fields per chunk type, from {@code uiMessageChunkSchema} (v5 set plus the v6 approval chunks). */
    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
        Map.entry("start", List.of()), Map.entry("start-step", List.of()), Map.entry("finish-step", List.of()),
        Map.entry("text-start", List.of("id")), Map.entry("text-delta", List.of("id", "delta")),
        Map.entry("text-end", List.of("id")), Map.entry("reasoning-start", List.of("id")),
        Map.entry("reasoning-delta", List.of("id", "delta")), Map.entry("reasoning-end", List.of("id")),
        Map.entry("tool-input-start", List.of("toolCallId", "toolName")),
        Map.entry("tool-input-delta", List.of("toolCallId", "inputTextDelta")),
        Map.entry("tool-input-available", List.of("toolCallId", "toolName", "input")),
        Map.entry("tool-output-available", List.of("toolCallId", "output")),
        Map.entry("tool-output-error", List.of("toolCallId", "errorText")),
        Map.entry("tool-output-denied", List.of("toolCallId")),
        Map.entry("tool-approval-request", List.of("approvalId", "toolCallId")),
        Map.entry("error", List.of("errorText")), Map.entry("abort", List.of()), Map.entry("finish", List.of()));
    /** The finish reasons v5, v6 and v7 all accept. */
    private static final Set<String> PORTABLE_FINISH = Set.of("stop", "length", "content-filter", "tool-calls", "error", "other");

    private long seq;

    @Test
    void everyChunkHasAKnownTypeItsRequiredFieldsAndAPortableFinishReason() {
        List<JsonNode> chunks = encode(new UiChunkEncoder(), toolRound(e -> new RunCompleted(e, "The answer is 5.", null, null)));

        assertThat(chunks).isNotEmpty().allSatisfy(chunk -> {
            String type = chunk.path("type").asText();
            assertThat(REQUIRED).containsKey(type);
            REQUIRED.get(type).forEach(field -> assertThat(chunk.has(field)).as(type + "." + field).isTrue());
        });
        assertThat(chunks.getLast().path("finishReason").asText()).isIn(PORTABLE_FINISH);
    }

    @Test
    void deltasAndEndsComeOnlyForOpenPartsAndEveryPartIsClosed() {
        List<JsonNode> chunks = encode(new UiChunkEncoder(), toolRound(e -> new RunCompleted(e, "The answer is 5.", null, null)));

        Set<String> open = new HashSet<>();
        Set<String> calls = new HashSet<>();
        for (JsonNode chunk : chunks) {
            String type = chunk.path("type").asText();
            String id = chunk.path("id").asText();
            if (type.endsWith("-start") && chunk.has("id")) {
                assertThat(open.add(id)).as("opened twice: " + id).isTrue();
            } else if (type.endsWith("-delta") && chunk.has("id")) {
                assertThat(open).contains(id);
            } else if (type.endsWith("-end")) {
                assertThat(open.remove(id)).as("closed but not open: " + id).isTrue();
            } else if (type.equals("tool-input-start")) {
                calls.add(chunk.path("toolCallId").asText());
            } else if (type.startsWith("tool-")) {
                assertThat(calls).contains(chunk.path("toolCallId").asText());
            }
        }
        assertThat(open).isEmpty();
    }

    @Test
    void eachModelCallIsOneStepAndTheToolResultSitsBetweenThem() {
        List<String> types = types(encode(new UiChunkEncoder(), toolRound(e -> new RunCompleted(e, "The answer is 5.", null, null))));

        assertThat(types).containsExactly("start",
            "start-step", "reasoning-start", "reasoning-delta", "reasoning-end", "text-start", "text-delta", "text-end",
            "tool-input-start", "tool-input-delta", "tool-input-available", "tool-output-available", "finish-step",
            "start-step", "text-start", "text-delta", "text-end", "finish-step", "finish");
    }

    @Test
    void startNamesTheMessageAfterTheRunAndCarriesTheRunInItsMetadata() {
        JsonNode start = encode(new UiChunkEncoder(), List.of(new RunStarted(header(), "demo"))).getFirst();

        assertThat(start.path("messageId").asText()).isEqualTo("run-1");
        assertThat(start.at("/messageMetadata/run_id").asText()).isEqualTo("run-1");
        assertThat(start.at("/messageMetadata/session_id").asText()).isEqualTo("chat-1");
        assertThat(start.at("/messageMetadata/agent_id").asText()).isEqualTo("assistant");
    }

    @Test
    void confirmationPauseAsksForApprovalAndFinishesWithToolCallsWithoutANewStep() {
        ToolExecution email = confirmation("call-1");
        List<String> types = types(encode(new UiChunkEncoder(), List.of(new RunStarted(header(), "demo"),
            new ToolCallStarted(header(), email),
            new RunPaused(header(), List.of(email), List.of(new RunRequirement("call-1", RunRequirement.Kind.CONFIRMATION,
                email, null))))));

        assertThat(types).containsExactly("start", "start-step", "tool-input-start", "tool-input-delta",
            "tool-input-available", "tool-approval-request", "finish-step", "finish");
    }

    @Test
    void approvalIdIsTheOneTheClientMustSendBack() {
        ToolExecution email = confirmation("call-1");
        List<JsonNode> chunks = encode(new UiChunkEncoder(), List.of(new RunStarted(header(), "demo"),
            new ToolCallStarted(header(), email), new RunPaused(header(), List.of(email),
                List.of(new RunRequirement("call-1", RunRequirement.Kind.CONFIRMATION, email, null)))));

        JsonNode request = chunks.stream().filter(c -> c.path("type").asText().equals("tool-approval-request")).findFirst()
            .orElseThrow();
        assertThat(request.path("approvalId").asText()).isEqualTo(UiChunkEncoder.approvalId("call-1"));
        assertThat(request.path("toolCallId").asText()).isEqualTo("call-1");
        assertThat(chunks.get(chunks.size() - 1).path("finishReason").asText()).isEqualTo("tool-calls");
    }

    @Test
    void pauseForExternalExecutionEndsAfterToolInputAvailable() {
        ToolExecution external = ToolExecution.started("call-1", "send_email", Map.of("to", "bob"))
            .withRequirements(null, null, null, true);
        List<String> types = types(encode(new UiChunkEncoder(), List.of(new RunStarted(header(), "demo"),
            new ToolCallStarted(header(), external), new RunPaused(header(), List.of(external),
                List.of(new RunRequirement("call-1", RunRequirement.Kind.EXTERNAL_EXECUTION, external, null))))));

        assertThat(types).containsSubsequence("tool-input-available", "finish-step", "finish")
            .doesNotContain("tool-approval-request");
    }

    @Test
    void continuedSegmentStartsTheSameMessageReportsDenialsAndAnswersInOneStep() {
        ToolExecution denied = confirmation("call-1").withDecision(false, "no", null).withResult("rejected", false, null);
        seq = 5;
        List<JsonNode> chunks = encode(new UiChunkEncoder(), List.of(new RunContinued(header()),
            new ToolCallCompleted(header(), denied), new RunContent(header(), "Not"), new RunContent(header(), " sent."),
            new RunContentCompleted(header()), new RunCompleted(header(), "Not sent.", null, null)));

        assertThat(chunks.getFirst().path("messageId").asText()).isEqualTo("run-1");
        assertThat(types(chunks)).containsExactly("start", "tool-output-denied", "start-step", "text-start", "text-delta",
            "text-delta", "text-end", "finish-step", "finish");
    }

    @Test
    void replayOfAContinuedRunStartsTheMessageOnce() {
        ToolExecution email = confirmation("call-1");
        List<RunEvent> events = List.of(new RunStarted(header(), "demo"), new ToolCallStarted(header(), email),
            new RunPaused(header(), List.of(email), List.of(new RunRequirement("call-1", RunRequirement.Kind.CONFIRMATION,
                email, null))),
            new RunContinued(header()), new ToolCallCompleted(header(), email.withResult("sent", false, null)),
            new RunContent(header(), "Sent."), new RunCompleted(header(), "Sent.", null, null));

        List<String> types = types(encode(new UiChunkEncoder(), events));

        assertThat(types.stream().filter("start"::equals)).hasSize(1);
        assertThat(types).containsSubsequence("tool-approval-request", "tool-output-available", "start-step", "text-delta",
            "finish");
    }

    @Test
    void stoppedRunEndsWithAbortAndItsReasonClosingTheOpenText() {
        List<JsonNode> chunks = encode(new UiChunkEncoder(), List.of(new RunStarted(header(), "demo"),
            new RunContent(header(), "Once"), new RunCancelled(header(), RunCancelled.REASON_CANCELLED, "Once")));

        assertThat(types(chunks)).endsWith("text-end", "abort").doesNotContain("finish", "finish-step");
        assertThat(chunks.getLast().path("reason").asText()).isEqualTo("cancelled");
    }

    @Test
    void failedRunEndsWithErrorCarryingTheMessage() {
        List<JsonNode> chunks = encode(new UiChunkEncoder(), List.of(new RunStarted(header(), "demo"),
            new RunContent(header(), "Half"), new RunError(header(), "the model failed", "ModelError", "Half")));

        assertThat(chunks.getLast().path("type").asText()).isEqualTo("error");
        assertThat(chunks.getLast().path("errorText").asText()).isEqualTo("the model failed");
        assertThat(types(chunks)).doesNotContain("finish");
    }

    @Test
    void failedToolIsAToolOutputError() {
        ToolExecution calc = ToolExecution.started("call-1", "calculator", Map.of("expression", "1/0"));
        List<JsonNode> chunks = encode(new UiChunkEncoder(), List.of(new RunStarted(header(), "demo"),
            new ToolCallStarted(header(), calc), new ToolCallError(header(), calc, "division by zero")));

        assertThat(chunks.getLast().path("type").asText()).isEqualTo("tool-output-error");
        assertThat(chunks.getLast().path("errorText").asText()).isEqualTo("division by zero");
    }

    @Test
    void teamMembersTextStaysOutButTheirToolCallsShowInsideTheLeadersStep() {
        ToolExecution delegation = ToolExecution.started("call-1", "ask_researcher", Map.of("task", "look"));
        ToolExecution memberCall = ToolExecution.started("call-2", "calculator", Map.of("expression", "1+1"));
        List<String> types = types(encode(new UiChunkEncoder(), List.of(new RunStarted(header(), "demo"),
            new ToolCallStarted(header(), delegation), new RunStarted(member(), "demo"), new RunContent(member(), "thinking"),
            new ToolCallStarted(member(), memberCall), new ToolCallCompleted(member(), memberCall.withResult("2", false, null)),
            new ToolCallCompleted(header(), delegation.withResult("found", false, null)), new RunContent(header(), "Done."),
            new RunCompleted(header(), "Done.", null, null))));

        assertThat(types).containsExactly("start", "start-step", "tool-input-start", "tool-input-delta",
            "tool-input-available", "tool-input-start", "tool-input-delta", "tool-input-available", "tool-output-available",
            "tool-output-available", "finish-step", "start-step", "text-start", "text-delta", "text-end", "finish-step",
            "finish");
    }

    @Test
    void replayGivesTheSameChunksAsTheLiveStream() {
        List<RunEvent> events = toolRound(e -> new RunCompleted(e, "The answer is 5.", null, null));

        assertThat(frames(new UiChunkEncoder(), events)).isEqualTo(frames(new UiChunkEncoder(), events));
    }

    /** A run that thinks, says a little, calls a tool, then answers; ended by {@code end}. */
    private List<RunEvent> toolRound(Function<EventHeader, RunEvent> end) {
        seq = 0;
        ToolExecution calc = ToolExecution.started("call-1", "calculator", Map.of("expression", "2+3"));
        return List.of(new RunStarted(header(), "demo"), new ReasoningStarted(header()),
            new ReasoningContentDelta(header(), "Let me add."), new ReasoningCompleted(header(), "Let me add."),
            new RunContent(header(), "Adding"), new ToolCallStarted(header(), calc),
            new ToolCallCompleted(header(), calc.withResult("5", false, null)), new RunContent(header(), "The answer is 5."),
            new RunContentCompleted(header()), end.apply(header()));
    }

    private static ToolExecution confirmation(String id) {
        return ToolExecution.started(id, "send_email", Map.of("to", "bob@example.com")).withRequirements(true, null, null, null);
    }

    private EventHeader header() {
        return new EventHeader(++seq, "run-1", "chat-1", "assistant", null, 1_764_450_000L);
    }

    private EventHeader member() {
        return new EventHeader(++seq, "member-1", "chat-1", "researcher", "run-1", 1_764_450_000L);
    }

    private static List<SseFrame> frames(UiChunkEncoder encoder, List<RunEvent> events) {
        List<SseFrame> frames = new ArrayList<>();
        events.forEach(e -> frames.addAll(encoder.encode(e)));
        return frames;
    }

    private static List<JsonNode> encode(UiChunkEncoder encoder, List<RunEvent> events) {
        List<JsonNode> chunks = new ArrayList<>();
        for (SseFrame frame : frames(encoder, events)) {
            assertThat(frame.id()).isNull();
            assertThat(frame.event()).isNull();
            if (!frame.data().equals("[DONE]")) {
                try {
                    chunks.add(JSON.readTree(frame.data()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return chunks;
    }

    private static List<String> types(List<JsonNode> chunks) {
        return chunks.stream().map(c -> c.path("type").asText()).toList();
    }
}
