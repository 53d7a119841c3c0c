package dev.agentstream.server;

import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.testkit.DemoChatModel;
import dev.agentstream.testkit.DemoTools;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.time.Duration;

/**
 * What the server serves by default, on the configured model: the agent {@code assistant}, with
 * the demo tools ({@code calculator}, {@code current_time}, and {@code send_email}, which waits for
 * a person's confirmation), and the team {@code demo-team}, whose writer can send its text by e-mail (asking
 * first too, so that the team pauses with it).
 */
final class DemoAgent {

    static final String ID = "assistant";
    static final String TEAM_ID = "demo-team";

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

    /**
     * {@code demo-team}: a leader that asks a researcher and a writer, at once, then sums up; the writer
     * may send e-mail, which waits for a person's confirmation (the team pauses until it is given).
     */
    static Team team(Models.Named model) {
        String modelName = model.name().equals("demo") ? DemoChatModel.MODEL_NAME : model.name();
        return Team.builder()
            .id(TEAM_ID)
            .name("Demo team")
            .description("A leader that asks a researcher and a writer, then sums up their answers")
            .model(model.model())
            .modelName(modelName)
            .member(Agent.builder().id("researcher").name("Researcher").description("Finds the facts")
                .model(model.model()).modelName(modelName).build())
            .member(Agent.builder().id("writer").name("Writer")
                .description("Writes it up clearly, and e-mails it when asked (sending asks you first)")
                .model(model.model()).modelName(modelName)
                .tools(new DemoTools()).requireConfirmation("send_email").build())
            .build();
    }
}
