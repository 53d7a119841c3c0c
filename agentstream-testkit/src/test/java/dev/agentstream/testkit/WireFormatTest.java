package dev.agentstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bytes on the wire, read with a plain HTTP client: frames, headers, and the non-LangChain4j paths. */
class WireFormatTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static HttpClient client;

    private ScriptedOpenAiServer server;

    @BeforeAll
    static void createClient() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void startServer() {
        server = ScriptedOpenAiServer.start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStreamIsEventStreamDataFramesOfChatCompletionChunksEndingWithDone() throws Exception {
        server.enqueue(Script.builder().reasoning("r").text("t").toolCalls(ToolCall.fragmented("c1", "f", "{}"))
                .usage(2, 3).build());

        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\":\"m1\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        List<String> data = dataLines(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : data.subList(0, data.size() - 1)) {
            chunks.add(MAPPER.readTree(line));
        }
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("id").asText()).startsWith("chatcmpl-");
            assertThat(chunk.path("model").asText()).isEqualTo("m1");
            assertThat(chunk.path("created").isNumber()).isTrue();
        });
        // role, reasoning, text, tool-call opening, tool-call arguments, finish, usage
        assertThat(chunks).hasSize(7);
        assertThat(delta(chunks.get(0)).path("role").asText()).isEqualTo("assistant");
        assertThat(delta(chunks.get(1)).path("reasoning_content").asText()).isEqualTo("r");
        assertThat(delta(chunks.get(2)).path("content").asText()).isEqualTo("t");
        JsonNode opening = delta(chunks.get(3)).path("tool_calls").get(0);
        assertThat(opening.path("index").asInt()).isZero();
        assertThat(opening.path("id").asText()).isEqualTo("c1");
        assertThat(opening.path("type").asText()).isEqualTo("function");
        assertThat(opening.path("function").path("name").asText()).isEqualTo("f");
        JsonNode arguments = delta(chunks.get(4)).path("tool_calls").get(0);
        assertThat(arguments.has("id")).isFalse();
        assertThat(arguments.path("function").path("arguments").asText()).isEqualTo("{}");
        assertThat(chunks.get(5).path("choices").get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(chunks.get(6).path("choices")).isEmpty();
        assertThat(chunks.get(6).path("usage").path("total_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void whileWaitingBetweenChunksTheServerWritesSseCommentLines() throws Exception {
        server.enqueue(Script.text("a", "b").chunkDelay(Duration.ofMillis(50)));

        HttpResponse<String> response = post("/v1/chat/completions", "{\"stream\":true}");

        assertThat(response.body()).contains("\n:\n\n");
        assertThat(dataLines(response.body())).hasSize(5);
    }

    @Test
    void aNonStreamingRequestGetsOneChatCompletionObject() throws Exception {
        server.enqueue(Script.builder().text("Hel", "lo").toolCalls(ToolCall.of("c1", "calculator", "{\"x\":1}"))
                .usage(4, 2).build());

        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\":\"m2\",\"stream\":false}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode completion = MAPPER.readTree(response.body());
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        JsonNode message = completion.path("choices").get(0).path("message");
        assertThat(message.path("content").asText()).isEqualTo("Hello");
        assertThat(message.path("tool_calls").get(0).path("function").path("arguments").asText())
                .isEqualTo("{\"x\":1}");
        assertThat(completion.path("usage").path("prompt_tokens").asInt()).isEqualTo(4);
        assertThat(server.requests().getFirst().streaming()).isFalse();
    }

    @Test
    void anyOtherPathIsA404JsonErrorAndIsNotRecorded() throws Exception {
        HttpResponse<String> response = post("/v1/embeddings", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(response.body()).path("error").path("message").asText())
                .contains("/v1/chat/completions");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsA400AndIsNotRecorded() throws Exception {
        assertThat(post("/v1/chat/completions", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/v1/chat/completions", "").statusCode()).isEqualTo(400);
        assertThat(post("/v1/chat/completions", "[1,2]").statusCode()).isEqualTo(400);
        assertThat(server.requests()).isEmpty();
    }

    private static JsonNode delta(JsonNode chunk) {
        return chunk.path("choices").get(0).path("delta");
    }

    private static List<String> dataLines(String body) {
        return body.lines().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
    }
}
