package dev.agentstream.server;

import dev.agentstream.Agent;
import dev.agentstream.testkit.DemoChatModel;
import dev.agentstream.testkit.DemoTools;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.time.Duration;

/**
 * The agent the server serves by default: {@code assistant}, with the demo tools
 * ({@code calculator}, {@code current_time}, and {@code send_email}, which waits for a person's
 * confirmation), on the configured model.
 */
final class DemoAgent {

    static final String ID = "assistant";

    private DemoAgent() {
    }

    /** The offline demo model, streaming one word per {@code wordDelay}. */
    static StreamingChatModel model(Duration wordDelay) {
        return DemoChatModel.builder().wordDelay(wordDelay).build();
    }

    static Agent assistant(Models.Named model) {
        return Agent.builder()
            .id(ID)
            .name("Assistant")
            .description("A helpful assistant with a calculator, a clock and e-mail (sending asks you first)")
            .instructions("You are a helpful assistant. Use the tools when they help; sending an e-mail needs the"
                + " user's confirmation, which the system asks for.")
            .model(model.model())
            .modelName(model.name().equals("demo") ? DemoChatModel.MODEL_NAME : model.name())
            .tools(new DemoTools())
            .requireConfirmation("send_email")
            .build();
    }
}
