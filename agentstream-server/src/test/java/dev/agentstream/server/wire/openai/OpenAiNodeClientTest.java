package dev.agentstream.server.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentstream.RunHandle;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.testing.NodeProject;
import dev.agentstream.server.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code openai} npm package (pinned in {@code src/test/node/openai}) against agentstream's
 * {@code /v1}: one Node run of {@code client.mjs} does every call and prints what the client saw.
 */
@Timeout(120)
class OpenAiNodeClientTest {

    static final String[] ALICE = {"Authorization", "Bearer key-alice"};
    @RegisterExtension
    static final TestServer server = TestServer.builder().apiKeys("alice:key-alice").shared();
    static JsonNode seen;

    @BeforeAll
    static void runTheClient() throws Exception {
        NodeProject project = NodeProject.installed("openai");
        NodeProject.Result result = project.node("client.mjs", Map.of(
            "AGENTSTREAM_BASE_URL", server.uri("/v1").toString(),
            "AGENTSTREAM_API_KEY", "key-alice",
            "AGENTSTREAM_MODEL", "assistant"), Duration.ofSeconds(90));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        seen = new ObjectMapper().readTree(result.stdout());
    }

    private static JsonNode run(String completionId) {
        return server.getJson("/v1/runs/" + completionId.substring("chatcmpl-".length()), 200, ALICE);
    }

    @Test
    void theClientListsTheAgentsAsModels() {
        assertThat(seen.get("models")).extracting(JsonNode::asText).containsExactly("assistant");
    }

    @Test
    void aStreamGivesTheAnswerUnderOneIdThenStopThenTheUsageChunk() {
        JsonNode streamed = seen.get("streamed");

        assertThat(streamed.get("ids")).hasSize(1);
        assertThat(streamed.get("created")).hasSize(1);
        assertThat(streamed.get("models")).extracting(JsonNode::asText).containsExactly("assistant");
        assertThat(streamed.get("finishReason").asText()).isEqualTo("stop");
        assertThat(streamed.get("usage").get("total_tokens").asLong()).isPositive();
        assertThat(streamed.get("content").asText().trim().split("\\s+")).hasSize(10);
        JsonNode stored = run(streamed.get("ids").get(0).asText());
        assertThat(stored.get("content").asText()).isEqualTo(streamed.get("content").asText());
        assertThat(stored.get("session_id").asText()).isEqualTo(streamed.get("sessionId").asText());
    }

    @Test
    void aWholeCompletionComesBackAsOneChatCompletionStoredWithItsSession() {
        JsonNode whole = seen.get("whole");

        assertThat(whole.get("object").asText()).isEqualTo("chat.completion");
        assertThat(whole.get("finishReason").asText()).isEqualTo("stop");
        assertThat(whole.get("content").asText().trim().split("\\s+")).hasSize(4);
        assertThat(whole.get("usage").has("prompt_tokens")).isTrue();
        JsonNode messages = server.getJson("/v1/sessions/" + whole.get("sessionId").asText() + "/messages", 200, ALICE)
            .get("messages");
        assertThat(messages).extracting(m -> m.get("role").asText()).containsExactly("user", "assistant");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("story 4");
    }

    @Test
    void breakingOutOfTheStreamCancelsTheRunWithItsPartialAnswerStored() {
        JsonNode abandoned = seen.get("abandoned");
        String runId = abandoned.get("id").asText().substring("chatcmpl-".length());

        await().atMost(Duration.ofSeconds(5)).until(() -> server.server().runtime().find(runId)
            .map(RunHandle::status).orElse(RunStatus.RUNNING).isFinal());
        JsonNode stored = run(abandoned.get("id").asText());
        assertThat(stored.get("status").asText()).isEqualTo("INTERRUPTED");
        assertThat(stored.get("content").asText()).startsWith(abandoned.get("content").asText());
        assertThat(stored.get("content").asText().split("\\s+")).hasSizeLessThan(2000);
    }

    @Test
    void errorsRaiseTheSdksUsualExceptionClasses() {
        assertThat(seen.get("unknownModel").get("raised").asText()).isEqualTo("NotFoundError");
        assertThat(seen.get("unknownModel").get("code").asText()).isEqualTo("model_not_found");
        assertThat(seen.get("badKey").get("raised").asText()).isEqualTo("AuthenticationError");
        assertThat(seen.get("badKey").get("status").asInt()).isEqualTo(401);
        assertThat(seen.get("badRequest").get("raised").asText()).isEqualTo("BadRequestError");
        assertThat(seen.get("badRequest").get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void aRunThatFailsMidStreamRaisesAnApiErrorFromTheStream() {
        JsonNode failed = seen.get("failedStream");

        assertThat(failed.get("isApiError").asBoolean()).isTrue();
        assertThat(failed.get("type").asText()).isEqualTo("server_error");
    }
}
