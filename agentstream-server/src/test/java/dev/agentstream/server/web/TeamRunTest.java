package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.testkit.DemoChatModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A team's stream carries its members' runs (events with {@code agent_id} and
 * {@code parent_run_id}); the page nests each member's answer, by agent, under the team's answer,
 * while it streams and again from history.
 */
class TeamRunTest {

    static final DemoChatModel MODEL = DemoChatModel.builder().wordDelay(PageHarness.WORD_DELAY).build();

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel(b -> b.customize(s -> s.team(Team.builder()
        .id("team")
        .model(MODEL)
        .member(Agent.builder().id("researcher").model(MODEL).build())
        .member(Agent.builder().id("writer").model(MODEL).build())
        .build())));

    @Test
    void memberAnswersAreNestedUnderTheTeamsAnswerLiveAndFromHistory() {
        ChatPage page = harness.page().open();
        new Select(harness.driver().findElement(By.id("target"))).selectByValue("team");
        ChatPage.Answer answer = page.send("story 8");
        answer.awaitStatus("completed");

        assertNested(answer);
        assertThat(answer.gaps()).isZero();
        assertThat(answer.duplicates()).isZero();

        page.reload();
        ChatPage.Answer fromHistory = page.lastAnswer();
        page.await().until(d -> members(fromHistory).size() == 2);
        assertNested(fromHistory);
    }

    private static void assertNested(ChatPage.Answer answer) {
        assertThat(answer.element().findElement(By.cssSelector(":scope > .msg-head .who")).getText()).isEqualTo("team");
        assertThat(answer.text()).isNotBlank();
        List<WebElement> members = members(answer);
        assertThat(members).extracting(m -> m.getDomAttribute("data-agent-id"))
            .containsExactlyInAnyOrder("researcher", "writer");
        for (WebElement member : members) {
            assertThat(member.getDomAttribute("data-status")).isEqualTo("completed");
            assertThat(member.findElement(By.cssSelector(":scope > .content")).getDomProperty("textContent"))
                .contains("Once upon a time");
        }
    }

    private static List<WebElement> members(ChatPage.Answer answer) {
        return answer.element().findElements(By.cssSelector(":scope > .members > .msg.assistant.member"));
    }
}
