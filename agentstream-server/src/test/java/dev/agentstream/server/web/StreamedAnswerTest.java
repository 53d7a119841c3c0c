package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** A sent message gets its answer streamed in: word by word, with reasoning, tool cards and errors shown. */
class StreamedAnswerTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    @Test
    void answerAppearsProgressivelyWhileTheRunStreams() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("story 120");

        // Seen while the run is still going: the answer grows in steps, not all at once at the end.
        TreeSet<Integer> seen = new TreeSet<>();
        page.await().withMessage(() -> "word counts seen while running: " + seen).until(d -> {
            int words = answer.words();
            if ("running".equals(answer.status()) && words > 0) {
                seen.add(words);
            }
            return seen.size() >= 4;
        });
        assertThat(seen.first()).isLessThan(120);
        assertThat(page.stopShown()).isTrue();

        answer.awaitStatus("completed");
        assertThat(answer.words()).isEqualTo(120);
        assertThat(answer.gaps()).isZero();
        assertThat(answer.duplicates()).isZero();
        assertThat(answer.contentReplaced()).isFalse();
        assertThat(page.sendShown()).isTrue();
        JsonNode run = harness.server().getJson("/v1/runs/" + answer.runId(), 200);
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(answer.text().strip()).isEqualTo(run.path("content").asText().strip());
    }

    @Test
    void reasoningComesFirstInACollapsibleBlock() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("think about rain");
        answer.awaitStatus("completed");

        WebElement reasoning = answer.reasoning();
        assertThat(reasoning.isDisplayed()).isTrue();
        assertThat(reasoning.getDomProperty("textContent")).contains("step by step");
        assertThat(answer.text()).contains("Having thought about rain");
        // Collapsed, the thinking is out of the way; one click on its summary shows it again.
        WebElement summary = reasoning.findElement(By.tagName("summary"));
        boolean open = reasoning.getDomProperty("open").equals("true");
        summary.click();
        assertThat(reasoning.getDomProperty("open")).isEqualTo(String.valueOf(!open));
    }

    @Test
    void toolCallShowsAsACardWithItsArgumentsAndResult() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("calculate 2+3");
        answer.awaitStatus("completed");

        WebElement card = answer.toolCard("calculator");
        assertThat(card.getDomAttribute("data-state")).isEqualTo("done");
        assertThat(card.findElement(By.className("tool-args")).getDomProperty("textContent")).contains("\"expression\"", "2+3");
        assertThat(card.findElement(By.className("tool-result")).getDomProperty("textContent")).isEqualTo("5");
        assertThat(answer.text()).contains("The result of 2+3 is 5.");
    }

    @Test
    void aFailingRunShowsItsErrorAndKeepsTheTextBeforeIt() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("fail");
        answer.awaitStatus("error");

        assertThat(answer.note()).contains("demo model failure");
        assertThat(answer.text()).contains("Starting to answer");
        assertThat(page.sendShown()).isTrue();
    }
}
