package dev.agentstream.bench.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringAiPeerApplicationTests {

    private static final int TOKENS = 30;
    private static final FakeOpenAiUpstream UPSTREAM = startUpstream();

    private static FakeOpenAiUpstream startUpstream() {
        try {
            return FakeOpenAiUpstream.start(TOKENS, 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.ai.openai.base-url", UPSTREAM::baseUrl);
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:./target/test-db/spring-ai-peer-" + System.nanoTime());
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    ChatMemoryRepository chatMemoryRepository;

    @Test
    void streamsOneEventPerTokenAndStoresTheExchange() {
        String conversationId = "bench-stream-42";
        List<ServerSentEvent<String>> events = chat(conversationId, "bench-stream-42 tell me a story")
            .collectList()
            .block(Duration.ofSeconds(30));

        assertThat(events).hasSize(TOKENS);
        // WebFlux writes "data:" + token; SSE parsing drops the single leading space of " tok1".
        assertThat(events).extracting(ServerSentEvent::data)
            .containsExactlyElementsOf(IntStream.range(0, TOKENS).mapToObj(i -> "tok" + i).toList());

        String answer = IntStream.range(0, TOKENS).mapToObj(FakeOpenAiUpstream::token).collect(Collectors.joining());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Message> stored = chatMemoryRepository.findByConversationId(conversationId);
            assertThat(stored).extracting(Message::getMessageType)
                .containsExactly(MessageType.USER, MessageType.ASSISTANT);
            assertThat(stored).extracting(Message::getText)
                .containsExactly("bench-stream-42 tell me a story", answer);
        });
    }

    @Test
    void closingTheClientConnectionClosesTheUpstreamStream() {
        // Long enough (500 tokens x 20 ms) that the upstream is still writing when the client goes away.
        UPSTREAM.setTokens(500);
        try {
            int closedBefore = UPSTREAM.closedByClient();
            int completedBefore = UPSTREAM.completed();
            List<ServerSentEvent<String>> firstThree = chat("bench-cancel-1", "bench-cancel-1 tell me a story")
                .take(3)
                .collectList()
                .block(Duration.ofSeconds(30));

            assertThat(firstThree).hasSize(3);
            await().atMost(Duration.ofSeconds(5)).until(() -> UPSTREAM.closedByClient() > closedBefore);
            assertThat(UPSTREAM.completed()).isEqualTo(completedBefore);
        } finally {
            UPSTREAM.setTokens(TOKENS);
        }
    }

    private Flux<ServerSentEvent<String>> chat(String conversationId, String message) {
        return client.post().uri("/chat")
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .bodyValue(Map.of("conversationId", conversationId, "message", message))
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
            .getResponseBody();
    }
}
