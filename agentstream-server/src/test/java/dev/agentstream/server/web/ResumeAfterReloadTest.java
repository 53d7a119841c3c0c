package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WindowType;

/**
 * A reload in the middle of an answer reconnects to the same run with {@code Last-Event-ID}: the
 * answer goes on, and ends whole, each word once.
 */
class ResumeAfterReloadTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    @Test
    void reloadMidAnswerEndsWithTheFullAnswerExactlyOnce() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("story 120");
        String runId = answer.awaitRunId().awaitWords(15).runId();

        page.reload();

        ChatPage.Answer resumed = page.lastAnswer();
        page.await().until(d -> runId.equals(resumed.runId("")));
        assertThat(Long.parseLong(resumed.resumedAfter())).isPositive();
        resumed.awaitStatus("completed");

        JsonNode run = harness.server().getJson("/v1/runs/" + runId, 200);
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(resumed.words()).isEqualTo(120);
        assertThat(resumed.text().strip()).isEqualTo(run.path("content").asText().strip());
        assertThat(resumed.gaps()).isZero();
        assertThat(resumed.duplicates()).isZero();
        assertThat(resumed.contentReplaced()).isFalse();
        assertThat(resumed.lastSeq()).isEqualTo(run.path("last_seq").asLong());
        assertThat(page.turns()).hasSize(1);
        assertThat(page.lastUserText()).isEqualTo("story 120");
    }

    @Test
    void aChatOpenedInAnotherTabWhileItRunsFollowsTheRunFromItsStart() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("story 100");
        String runId = answer.awaitRunId().awaitWords(10).runId();
        String sessionId = harness.server().getJson("/v1/runs/" + runId, 200).path("session_id").asText();

        String first = harness.driver().getWindowHandle();
        harness.driver().switchTo().newWindow(WindowType.TAB);
        try {
            ChatPage other = harness.page().open(sessionId);
            ChatPage.Answer followed = other.lastAnswer();
            page.await().until(d -> runId.equals(followed.runId("")));
            followed.awaitStatus("completed");
            assertThat(followed.words()).isEqualTo(100);
            assertThat(followed.gaps()).isZero();
            assertThat(followed.duplicates()).isZero();
        } finally {
            harness.driver().close();
            harness.driver().switchTo().window(first);
        }
        answer.awaitStatus("completed");
        assertThat(answer.words()).isEqualTo(100);
    }
}
