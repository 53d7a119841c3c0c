package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TeamRunTest {

    /** Each participant has its own upstream, so concurrent members never race for one script queue. */
    private final Upstream leader = new Upstream();
    private final Upstream researcherUpstream = new Upstream();
    private final Upstream writerUpstream = new Upstream();
    private final AgentRuntime runtime = AgentRuntime.builder().build();

    @AfterEach
    void close() {
        runtime.close();
        Stream.of(leader, researcherUpstream, writerUpstream).forEach(Upstream::close);
    }

    static final class Mailer {
        @Tool("Sends an email")
        public String send_email(@P("to") String to) {
            return "Email sent to " + to;
        }
    }

    private Team team() {
        Agent researcher = researcherUpstream.agent().id("researcher").name("Researcher")
            .description("Finds facts").build();
        Agent writer = writerUpstream.agent().id("writer").name("Writer").description("Writes prose")
            .tools(new Mailer()).requireConfirmation("send_email").build();
        return Team.builder().id("research-team").name("Research team").instructions("Be brief.")
            .model(leader.model()).modelName("gpt-test").member(researcher).member(writer).build();
    }

    private static ToolCall ask(String id, String member, String task) {
        return ToolCall.of(id, "ask_" + member, "{\"task\":\"" + task + "\"}");
    }

    private static String[] words(int n) {
        String[] words = new String[n];
        Arrays.fill(words, "word ");
        return words;
    }

    @Test
    void aTeamRunStreamsTheLeaderAndEachMemberRunInOneNumbering() {
        leader.server.enqueue(Script.toolCalls(ask("c1", "researcher", "find facts")),
            Script.toolCalls(ask("c2", "writer", "write it up")), Script.text("Here ", "it is."));
        researcherUpstream.server.enqueue(Script.text("Fact ", "one."));
        writerUpstream.server.enqueue(Script.text("Prose."));

        RunHandle run = runtime.start(team(), RunRequest.of("Tell me about otters"));
        List<RunEvent> events = run.events().toList();

        assertThat(Upstream.names(events)).containsExactly(
            "TeamRunStarted", "TeamToolCallStarted",
            "RunStarted", "RunContent", "RunContent", "RunContentCompleted", "RunCompleted",
            "TeamToolCallCompleted", "TeamToolCallStarted",
            "RunStarted", "RunContent", "RunContentCompleted", "RunCompleted",
            "TeamToolCallCompleted", "TeamRunContent", "TeamRunContent", "TeamRunContentCompleted", "TeamRunCompleted");
        assertThat(events).extracting(RunEvent::seq)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        RunEvent researcherStart = events.get(2);
        assertThat(researcherStart.agentId()).isEqualTo("researcher");
        assertThat(researcherStart.parentRunId()).isEqualTo(run.runId());
        assertThat(researcherStart.runId()).isNotEqualTo(run.runId());
        assertThat(events.getFirst().teamId()).isEqualTo("research-team");
        assertThat(events.getFirst().agentId()).isNull();
        assertThat(((ToolCallCompleted) events.get(7)).tool().result()).isEqualTo("Fact one.");
        assertThat(((RunCompleted) events.getLast()).content()).isEqualTo("Here it is.");

        var leaderSecondTurn = leader.server.requests().get(1).messages();
        assertThat(leaderSecondTurn.getLast().get("content").asText()).isEqualTo("Fact one.");
        assertThat(researcherUpstream.server.requests().getFirst().messages().getLast().get("content").asText())
            .isEqualTo("find facts");
        assertThat(leader.server.requests().getFirst().tools()).hasSize(2);
    }

    @Test
    void membersAskedInOneTurnRunConcurrently() {
        leader.server.enqueue(Script.toolCalls(ask("c1", "researcher", "a"), ask("c2", "writer", "b")),
            Script.text("Both done."));
        researcherUpstream.server.enqueue(Script.text("R1 ", "R2 ", "R3").chunkDelay(Duration.ofMillis(40)));
        writerUpstream.server.enqueue(Script.text("W1 ", "W2 ", "W3").chunkDelay(Duration.ofMillis(40)));

        List<RunEvent> events = runtime.start(team(), RunRequest.of("go")).events().toList();

        List<String> names = Upstream.names(events);
        int firstMemberEnd = names.indexOf("RunCompleted");
        assertThat(names.subList(0, firstMemberEnd)).filteredOn("RunStarted"::equals).hasSize(2);
        assertThat(names).filteredOn("RunCompleted"::equals).hasSize(2);
        assertThat(names.getLast()).isEqualTo("TeamRunCompleted");
        for (String member : List.of("researcher", "writer")) {
            List<String> own = events.stream().filter(e -> member.equals(e.agentId())).map(RunEvent::eventName).toList();
            assertThat(own).containsExactly("RunStarted", "RunContent", "RunContent", "RunContent",
                "RunContentCompleted", "RunCompleted");
        }
    }

    @Test
    void cancellingTheTeamCancelsEveryMemberAndClosesTheirUpstreams() {
        leader.server.enqueue(Script.toolCalls(ask("c1", "researcher", "a"), ask("c2", "writer", "b")));
        researcherUpstream.server.enqueue(Script.text(words(300)).chunkDelay(Duration.ofMillis(20)));
        writerUpstream.server.enqueue(Script.text(words(300)).chunkDelay(Duration.ofMillis(20)));
        RunHandle run = runtime.start(team(), RunRequest.of("go"));
        Awaitility.await().until(() -> run.log().readAfter(0).events().stream()
            .filter(e -> "RunContent".equals(e.eventName())).map(RunEvent::agentId).distinct().count() == 2);

        run.cancel("cancelled");
        List<RunEvent> events = run.events().toList();

        assertThat(events.getLast().eventName()).isEqualTo("TeamRunCancelled");
        assertThat(events).filteredOn(e -> "RunCancelled".equals(e.eventName())).extracting(RunEvent::agentId)
            .containsExactlyInAnyOrder("researcher", "writer");
        assertThat(researcherUpstream.server.requests().getFirst().awaitClientClosed(Upstream.UPSTREAM_CLOSE_TIMEOUT)).isTrue();
        assertThat(writerUpstream.server.requests().getFirst().awaitClientClosed(Upstream.UPSTREAM_CLOSE_TIMEOUT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void aMembersPausePausesTheTeamAndContinueResumesTheMemberThenTheLeader() {
        leader.server.enqueue(Script.toolCalls(ask("c1", "writer", "email bob")), Script.text("Emailed."));
        writerUpstream.server.enqueue(Script.toolCalls(ToolCall.of("m1", "send_email", "{\"to\":\"bob@example.com\"}")),
            Script.text("Sent."));
        RunHandle run = runtime.start(team(), RunRequest.of("email bob"));

        List<RunEvent> first = run.events().toList();
        assertThat(Upstream.names(first)).containsExactly("TeamRunStarted", "TeamToolCallStarted", "RunStarted",
            "ToolCallStarted", "RunPaused", "TeamRunPaused");
        RunPaused teamPause = (RunPaused) first.getLast();
        assertThat(teamPause.requirements()).singleElement().satisfies(r -> assertThat(r.toolCallId()).isEqualTo("m1"));
        assertThat(run.status()).isEqualTo(RunStatus.PAUSED);

        assertThat(runtime.continueRun(run.runId(), List.of(ToolDecision.confirm("m1"))))
            .isInstanceOf(AgentRuntime.ContinueOutcome.Continued.class);
        List<RunEvent> second = run.events(teamPause.seq()).toList();

        assertThat(Upstream.names(second)).containsExactly("TeamRunContinued", "RunContinued", "ToolCallCompleted",
            "RunContent", "RunContentCompleted", "RunCompleted", "TeamToolCallCompleted", "TeamRunContent",
            "TeamRunContentCompleted", "TeamRunCompleted");
        assertThat(second.getFirst().seq()).isEqualTo(teamPause.seq() + 1);
        assertThat(((ToolCallCompleted) second.get(6)).tool().result()).isEqualTo("Sent.");
    }
}
