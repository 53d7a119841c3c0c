package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/** Stop cancels the run on the server; what had arrived stays, marked as stopped. */
class StopTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    @Test
    void stopCancelsTheRunOnTheServerAndKeepsThePartialAnswer() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("story 400");
        answer.awaitRunId().awaitWords(10);

        page.stop();
        answer.awaitStatus("cancelled");

        assertThat(answer.note()).contains("Stopped");
        int words = answer.words();
        assertThat(words).isBetween(10, 399);
        JsonNode run = harness.server().getJson("/v1/runs/" + answer.runId(), 200);
        assertThat(run.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(answer.text().strip()).isEqualTo(run.path("content").asText().strip());
        assertThat(page.sendShown()).isTrue();
        assertThat(page.stopShown()).isFalse();
    }

    @Test
    void escapeInTheMessageBoxStopsTheRun() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("story 400");
        answer.awaitRunId().awaitWords(5);

        page.messageBox().sendKeys(Keys.ESCAPE);
        answer.awaitStatus("cancelled");

        JsonNode run = harness.server().getJson("/v1/runs/" + answer.runId(), 200);
        assertThat(run.path("status").asText()).isEqualTo("CANCELLED");
    }
}
