package dev.agentstream.bench.springai;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Benchmark peer: a Spring Boot WebFlux app that streams Spring AI's {@code ChatClient.stream()} as
 * server-sent events, with the conversation kept by Spring AI's JDBC chat memory.
 */
@SpringBootApplication
public class SpringAiPeerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SpringAiPeerApplication.class, args);
    }

    /** A message window (the last 20 messages, Spring AI's default) over the auto-configured JDBC repository. */
    @Bean
    ChatMemory chatMemory(JdbcChatMemoryRepository chatMemoryRepository) {
        return MessageWindowChatMemory.builder()
            .chatMemoryRepository(chatMemoryRepository)
            .maxMessages(20)
            .build();
    }

    @Bean
    ChatClient chatClient(ChatClient.Builder builder, ChatMemory chatMemory) {
        return builder
            .defaultAdvisors(MessageChatMemoryAdvisor.builder(chatMemory).build())
            .build();
    }
}
