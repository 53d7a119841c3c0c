package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A team's stream carries its members' runs (events with {@code agent_id} and
 * {@code parent_run_id}); the page nests each member's answer, keyed by agent, under the team's.
 * The server has no team routes yet, so the page's own run model and view are fed a team stream
 * here, in the page as served.
 */
class TeamRunViewTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    /** Runs in the page: a team stream as the server will send it, applied event by event and shown. */
    private static final String FEED_TEAM_STREAM = """
        const done = arguments[arguments.length - 1];
        Promise.all([import('./run-model.js'), import('./run-view.js')]).then(([model, view]) => {
          const base = { session_id: 's1', created_at: 0 };
          const team = { ...base, run_id: 'T', team_id: 'research-team' };
          const member = (agent, run) => ({ ...base, run_id: run, agent_id: agent, parent_run_id: 'T' });
          const events = [
            { ...team, event: 'TeamRunStarted' },
            { ...member('searcher', 'M1'), event: 'RunStarted' },
            { ...member('searcher', 'M1'), event: 'ToolCallStarted',
              tool: { tool_call_id: 'c1', tool_name: 'search', tool_args: { q: 'rain' } } },
            { ...member('searcher', 'M1'), event: 'ToolCallCompleted',
              tool: { tool_call_id: 'c1', tool_name: 'search', tool_args: { q: 'rain' }, result: '3 hits' } },
            { ...member('searcher', 'M1'), event: 'RunContent', content: 'Found three ' },
            { ...member('searcher', 'M1'), event: 'RunContent', content: 'sources.' },
            { ...member('searcher', 'M1'), event: 'RunCompleted', content: 'Found three sources.' },
            { ...member('writer', 'M2'), event: 'RunStarted' },
            { ...member('writer', 'M2'), event: 'RunContent', content: 'A draft.' },
            { ...member('writer', 'M2'), event: 'RunCompleted', content: 'A draft.' },
            { ...team, event: 'TeamRunContent', content: 'Summary: ' },
            { ...team, event: 'TeamRunContent', content: 'it rains.' },
            { ...team, event: 'TeamRunCompleted', content: 'Summary: it rains.' },
          ].map((e, i) => ({ ...e, seq: i + 1 }));
          const run = model.newRun();
          const turn = new view.TurnView({ userText: 'Research rain', run });
          document.querySelector('#transcript').replaceChildren(turn.el);
          const ends = events.map((e) => { model.applyEvent(run, e); return model.isTerminal(e); });
          turn.answer.render();
          done(ends);
        }, (e) => done(String(e)));
        """;

    @Test
    void memberRunsAreNestedUnderTheTeamsAnswerByAgent() {
        ChatPage page = harness.page().open();

        Object ends = harness.driver().executeAsyncScript(FEED_TEAM_STREAM);

        assertThat(ends).isInstanceOf(List.class);
        List<Object> terminal = List.copyOf((List<?>) ends);
        // Only the team's own end ends the stream; a member's RunCompleted ends just that member.
        assertThat(terminal.subList(0, terminal.size() - 1)).containsOnly(Boolean.FALSE);
        assertThat(terminal.get(terminal.size() - 1)).isEqualTo(Boolean.TRUE);
        WebElement answer = page.lastAnswer().element();
        assertThat(answer.getDomAttribute("data-status")).isEqualTo("completed");
        assertThat(answer.findElement(By.cssSelector(":scope > .msg-head .who")).getText()).isEqualTo("research-team");
        assertThat(answer.findElement(By.cssSelector(":scope > .content")).getText()).isEqualTo("Summary: it rains.");
        List<WebElement> members = answer.findElements(By.cssSelector(":scope > .members > .msg.assistant.member"));
        assertThat(members).extracting(m -> m.getDomAttribute("data-agent-id")).containsExactly("searcher", "writer");
        WebElement searcher = members.get(0);
        assertThat(searcher.findElement(By.cssSelector(":scope > .content")).getText()).isEqualTo("Found three sources.");
        assertThat(searcher.findElement(By.cssSelector(".tool-card[data-tool-name='search']")).getDomAttribute("data-state"))
            .isEqualTo("done");
        assertThat(members.get(1).findElement(By.cssSelector(":scope > .content")).getText()).isEqualTo("A draft.");
        assertThat(answer.getDomAttribute("data-gaps")).isEqualTo("0");
    }
}
