package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The side list shows a person's chats, newest first; opening one shows its history (messages,
 * tool calls, stopped answers, errors); chats can be started and deleted.
 */
class SessionHistoryTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    static String toolChat;
    static String failedChat;
    static String stoppedChat;

    @BeforeAll
    static void seedChatsThroughTheApi() {
        toolChat = awaitedRun("calculate 2+3").path("session_id").asText();
        failedChat = awaitedRun("fail").path("session_id").asText();
        TestServer server = harness.server();
        JsonNode started = TestServer.json(server.post("/v1/agents/assistant/runs",
            "{\"message\":\"story 500\",\"background\":true}"));
        String runId = started.path("run_id").asText();
        stoppedChat = started.path("session_id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() ->
            server.getJson("/v1/runs/" + runId, 200).path("content").asText("").split(" ").length > 5);
        assertThat(server.post("/v1/runs/" + runId + "/cancel", "{}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() ->
            server.getJson("/v1/runs/" + runId, 200).path("status").asText().equals("CANCELLED"));
    }

    private static JsonNode awaitedRun(String message) {
        return TestServer.json(harness.server().post("/v1/agents/assistant/runs",
            "{\"message\":\"" + message + "\",\"stream\":false}"));
    }

    @Test
    void chatsAreListedNewestFirst() {
        ChatPage page = harness.page().open();

        List<String> fromServer = StreamSupport.stream(
                harness.server().getJson("/v1/sessions", 200).path("sessions").spliterator(), false)
            .map(s -> s.path("session_id").asText())
            .toList();
        assertThat(fromServer).containsSubsequence(stoppedChat, failedChat, toolChat);
        page.awaitSessionIds(fromServer);
        assertThat(page.sessionTitles()).allSatisfy(title -> assertThat(title).isNotBlank());
    }

    @Test
    void openingAChatShowsItsMessagesAndToolCalls() {
        ChatPage page = harness.page().open();
        page.openSession(toolChat);
        ChatPage.Answer answer = page.lastAnswer();
        page.await().until(d -> answer.text().contains("The result of 2+3 is 5."));

        assertThat(page.lastUserText()).isEqualTo("calculate 2+3");
        WebElement card = answer.toolCard("calculator");
        assertThat(card.findElement(By.className("tool-args")).getDomProperty("textContent")).contains("2+3");
        assertThat(card.findElement(By.className("tool-result")).getDomProperty("textContent")).isEqualTo("5");
        assertThat(answer.status()).isEqualTo("completed");
    }

    @Test
    void historyMarksAStoppedAnswerAndShowsAnError() {
        ChatPage page = harness.page().open();
        page.openSession(stoppedChat);
        ChatPage.Answer stopped = page.lastAnswer();
        page.await().until(d -> "cancelled".equals(stopped.status()));
        assertThat(stopped.note()).contains("Stopped");
        assertThat(stopped.words()).isGreaterThan(5);
        assertThat(page.lastUserText()).isEqualTo("story 500");

        page.openSession(failedChat);
        ChatPage.Answer failed = page.lastAnswer();
        page.await().until(d -> "error".equals(failed.status()) && page.lastUserText().equals("fail"));
        assertThat(failed.note()).contains("demo model failure");
    }

    @Test
    void aNewChatStartsEmptyAndAppearsAtTheTopOfTheList() {
        ChatPage page = harness.page().open(toolChat);
        page.await().until(d -> page.turns().size() == 1);

        page.newChat();
        page.await().until(d -> page.turns().isEmpty());
        ChatPage.Answer answer = page.send("time");
        answer.awaitStatus("completed");
        assertThat(answer.toolCard("current_time").getDomAttribute("data-state")).isEqualTo("done");

        String sessionId = harness.server().getJson("/v1/runs/" + answer.runId(), 200).path("session_id").asText();
        page.await().until(d -> !page.sessionIds().isEmpty() && page.sessionIds().get(0).equals(sessionId));
        assertThat(harness.driver().getCurrentUrl()).endsWith("#session=" + sessionId);
    }

    @Test
    void theServersRefusalToDeleteABusyChatIsShown() {
        TestServer server = harness.server();
        JsonNode started = TestServer.json(server.post("/v1/agents/assistant/runs",
            "{\"message\":\"story 2000\",\"background\":true}"));
        String busy = started.path("session_id").asText();
        try {
            ChatPage page = harness.page().open();
            page.await().until(d -> page.sessionIds().contains(busy));

            page.deleteSession(busy);

            page.await().until(d -> !page.errors().isEmpty());
            assertThat(page.errors().get(0)).contains("session_busy");
            assertThat(page.sessionIds()).contains(busy);
        } finally {
            server.post("/v1/runs/" + started.path("run_id").asText() + "/cancel", "{}");
        }
    }

    @Test
    void deletingAChatRemovesItFromTheListAndTheServer() {
        TestServer server = harness.server();
        String doomed = awaitedRun("delete me").path("session_id").asText();
        ChatPage page = harness.page().open();
        page.await().until(d -> page.sessionIds().contains(doomed));

        page.deleteSession(doomed);

        page.await().until(d -> !page.sessionIds().contains(doomed));
        assertThat(server.get("/v1/sessions/" + doomed).statusCode()).isEqualTo(404);
        assertThat(page.errors()).isEmpty();
    }
}
