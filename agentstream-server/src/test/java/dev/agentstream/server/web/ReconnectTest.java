package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.CuttableProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection lost in the middle of an answer is picked up again with {@code Last-Event-ID}: the
 * run goes on on the server (the page starts runs with {@code on_disconnect: continue}) and the
 * answer ends whole, each word once.
 */
class ReconnectTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    private CuttableProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = CuttableProxy.to(harness.server().uri("/"));
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void aCutConnectionReconnectsAndTheAnswerEndsWholeExactlyOnce() {
        ChatPage page = new ChatPage(harness.driver(), proxy.uri()).open();
        ChatPage.Answer answer = page.send("story 120");
        String runId = answer.awaitRunId().awaitWords(15).runId();

        proxy.cutAll();

        page.await().until(d -> answer.resumedAfter() != null);
        assertThat(Long.parseLong(answer.resumedAfter())).isPositive();
        answer.awaitStatus("completed");
        JsonNode run = harness.server().getJson("/v1/runs/" + runId, 200);
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(answer.words()).isEqualTo(120);
        assertThat(answer.text().strip()).isEqualTo(run.path("content").asText().strip());
        assertThat(answer.gaps()).isZero();
        assertThat(answer.duplicates()).isZero();
        assertThat(answer.contentReplaced()).isFalse();
        assertThat(page.errors()).isEmpty();
    }
}
