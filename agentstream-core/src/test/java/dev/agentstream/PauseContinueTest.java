package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.event.ToolCallStarted;
import dev.agentstream.event.UserInputField;
import dev.agentstream.run.PausedRun;
import dev.agentstream.run.RunInfo;
import dev.agentstream.run.RunObserver;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PauseContinueTest {

    private final Upstream upstream = new Upstream();
    private final List<PausedRun> pausedStates = new CopyOnWriteArrayList<>();
    private final AgentRuntime runtime = AgentRuntime.builder().observer(new RunObserver() {
        @Override
        public void onEvent(RunInfo run, RunEvent event) {
        }

        @Override
        public void onPaused(RunInfo run, PausedRun state) {
            pausedStates.add(state);
        }
    }).build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    static final class Mailer {
        final List<String> sent = new CopyOnWriteArrayList<>();

        @Tool("Sends an email")
        public String send_email(@P("to") String to, @P("subject") String subject) {
            sent.add(to + ":" + subject);
            return "Email sent to " + to;
        }
    }

    private Agent mailAgent(Mailer mailer) {
        return upstream.agent().tools(mailer).requireConfirmation("send_email").build();
    }

    private static List<RunEvent> concat(List<RunEvent> a, List<RunEvent> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    @Test
    void aToolNeedingConfirmationPausesTheRunAndApprovalContinuesItWithOneNumbering() {
        Mailer mailer = new Mailer();
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_e", "send_email", "{\"to\":\"bob@example.com\",\"subject\":\"Hi\"}")),
            Script.text("Sent ", "it."));
        RunHandle run = runtime.start(mailAgent(mailer), RunRequest.of("email bob"));

        List<RunEvent> first = run.events().toList();
        assertThat(Upstream.names(first)).containsExactly("RunStarted", "ToolCallStarted", "RunPaused");
        RunPaused paused = (RunPaused) first.getLast();
        assertThat(paused.requirements()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(RunRequirement.Kind.CONFIRMATION);
            assertThat(r.toolCallId()).isEqualTo("call_e");
            assertThat(r.tool().toolArgs()).containsEntry("to", "bob@example.com");
        });
        assertThat(((ToolCallStarted) first.get(1)).tool().requiresConfirmation()).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.PAUSED);
        assertThat(mailer.sent).isEmpty();

        var outcome = runtime.continueRun(run.runId(), List.of(ToolDecision.confirm("call_e")));
        assertThat(outcome).isInstanceOf(AgentRuntime.ContinueOutcome.Continued.class);
        List<RunEvent> second = run.events(paused.seq()).toList();

        assertThat(Upstream.names(second)).containsExactly("RunContinued", "ToolCallCompleted", "RunContent",
            "RunContent", "RunContentCompleted", "RunCompleted");
        assertThat(concat(first, second)).extracting(RunEvent::seq)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, first.size() + second.size()).boxed().toList());
        assertThat(((ToolCallCompleted) second.get(1)).tool().confirmed()).isTrue();
        assertThat(mailer.sent).containsExactly("bob@example.com:Hi");
        assertThat(((RunCompleted) second.getLast()).content()).isEqualTo("Sent it.");
    }

    @Test
    void aRejectedToolIsNotRunAndTheModelIsToldItWasRejectedWithTheNote() {
        Mailer mailer = new Mailer();
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_e", "send_email", "{\"to\":\"x@y.z\",\"subject\":\"S\"}")),
            Script.text("Not sent."));
        RunHandle run = runtime.start(mailAgent(mailer), RunRequest.of("email"));
        long pausedAt = run.events().toList().getLast().seq();

        runtime.continueRun(run.runId(), List.of(ToolDecision.reject("call_e", "wrong address")));
        List<RunEvent> second = run.events(pausedAt).toList();

        ToolCallCompleted rejected = (ToolCallCompleted) second.get(1);
        assertThat(rejected.tool().confirmed()).isFalse();
        assertThat(rejected.tool().confirmationNote()).isEqualTo("wrong address");
        assertThat(mailer.sent).isEmpty();
        String toolResult = upstream.server.requests().get(1).messages().getLast().get("content").asText();
        assertThat(toolResult).contains("rejected").contains("wrong address");
        assertThat(second.getLast()).isInstanceOf(RunCompleted.class);
    }

    @Test
    void userInputFieldsAreMergedIntoTheArgumentsBeforeTheToolRuns() {
        Mailer mailer = new Mailer();
        Agent agent = upstream.agent().tools(mailer)
            .requireUserInput("send_email", new UserInputField("subject", "str", "Subject line", null)).build();
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_e", "send_email", "{\"to\":\"a@b.c\"}")), Script.text("Done."));
        RunHandle run = runtime.start(agent, RunRequest.of("email"));
        RunPaused paused = (RunPaused) run.events().toList().getLast();
        assertThat(paused.requirements().getFirst().kind()).isEqualTo(RunRequirement.Kind.USER_INPUT);

        runtime.continueRun(run.runId(), List.of(ToolDecision.input("call_e", Map.of("subject", "Quarterly"))));
        List<RunEvent> second = run.events(paused.seq()).toList();

        assertThat(mailer.sent).containsExactly("a@b.c:Quarterly");
        ToolCallCompleted done = (ToolCallCompleted) second.get(1);
        assertThat(done.tool().toolArgs()).containsEntry("subject", "Quarterly");
        assertThat(done.tool().userInputSchema()).singleElement().satisfies(f -> assertThat(f.value()).isEqualTo("Quarterly"));
    }

    @Test
    void anExternallyExecutedToolTakesItsResultFromContinue() {
        ToolSpecification lookup = ToolSpecification.builder().name("lookup_order").description("Looks up an order").build();
        Agent agent = upstream.agent().externalTool(lookup).build();
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_l", "lookup_order", "{}")), Script.text("Shipped."));
        RunHandle run = runtime.start(agent, RunRequest.of("where is my order"));
        RunPaused paused = (RunPaused) run.events().toList().getLast();
        assertThat(paused.requirements().getFirst().kind()).isEqualTo(RunRequirement.Kind.EXTERNAL_EXECUTION);

        runtime.continueRun(run.runId(), List.of(ToolDecision.externalResult("call_l", "order 42: shipped")));
        run.events(paused.seq()).toList();

        assertThat(upstream.server.requests().get(1).messages().getLast().get("content").asText())
            .isEqualTo("order 42: shipped");
    }

    @Test
    void continueAnswersWhatIsWrongInsteadOfRunning() {
        Mailer mailer = new Mailer();
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_e", "send_email", "{\"to\":\"a@b.c\",\"subject\":\"S\"}")),
            Script.text("ok"));
        RunHandle run = runtime.start(mailAgent(mailer), RunRequest.of("email"));
        run.events().toList();

        assertThat(runtime.continueRun(run.runId(), List.of()))
            .isInstanceOfSatisfying(AgentRuntime.ContinueOutcome.InvalidDecisions.class,
                invalid -> assertThat(invalid.message()).contains("call_e"));
        assertThat(runtime.continueRun(run.runId(), List.of(ToolDecision.confirm("call_other"))))
            .isInstanceOf(AgentRuntime.ContinueOutcome.InvalidDecisions.class);
        assertThat(runtime.continueRun(run.runId(), List.of(new ToolDecision("call_e", null, null, null, null))))
            .isInstanceOf(AgentRuntime.ContinueOutcome.InvalidDecisions.class);
        assertThat(runtime.continueRun("nope", List.of())).isInstanceOf(AgentRuntime.ContinueOutcome.NotFound.class);

        runtime.continueRun(run.runId(), List.of(ToolDecision.confirm("call_e")));
        assertThat(runtime.continueRun(run.runId(), List.of(ToolDecision.confirm("call_e"))))
            .isInstanceOf(AgentRuntime.ContinueOutcome.NotPaused.class);
    }

    @Test
    void cancellingAPausedRunEndsIt() {
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_e", "send_email", "{\"to\":\"a@b.c\",\"subject\":\"S\"}")));
        RunHandle run = runtime.start(mailAgent(new Mailer()), RunRequest.of("email"));
        long pausedAt = run.events().toList().getLast().seq();

        run.cancel("cancelled");

        assertThat(Upstream.names(run.events(pausedAt).toList())).containsExactly("RunCancelled");
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void aPausedRunContinuesInAnotherRuntimeFromItsStoredState() {
        Mailer mailer = new Mailer();
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_e", "send_email", "{\"to\":\"a@b.c\",\"subject\":\"S\"}")),
            Script.text("Sent."));
        RunHandle run = runtime.start(mailAgent(mailer), RunRequest.of("email"));
        List<RunEvent> first = run.events().toList();
        PausedRun state = dev.agentstream.event.EventJson.mapper().convertValue(
            dev.agentstream.event.EventJson.mapper().valueToTree(pausedStates.getFirst()), PausedRun.class);

        try (AgentRuntime restarted = AgentRuntime.builder().build()) {
            var outcome = restarted.resume(mailAgent(mailer), state, List.of(ToolDecision.confirm("call_e")));
            RunHandle resumed = ((AgentRuntime.ContinueOutcome.Continued) outcome).handle();
            List<RunEvent> second = resumed.events(first.getLast().seq()).toList();

            assertThat(second.getFirst().seq()).isEqualTo(first.getLast().seq() + 1);
            assertThat(Upstream.names(second)).containsExactly("RunContinued", "ToolCallCompleted", "RunContent",
                "RunContentCompleted", "RunCompleted");
            assertThat(mailer.sent).hasSize(1);
            var messages = upstream.server.requests().get(1).messages();
            assertThat(new ArrayList<>(messages).stream().map(m -> m.get("role").asText()).toList())
                .containsExactly("system", "user", "assistant", "tool");
        }
    }
}
