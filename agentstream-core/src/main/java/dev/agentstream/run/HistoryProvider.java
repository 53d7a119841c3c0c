package dev.agentstream.run;

import dev.langchain4j.data.message.ChatMessage;
import java.util.List;

/**
 * Gives a new run the earlier messages of its session (user, assistant, tool calls and results),
 * oldest first. Called on the run's thread before its first model call.
 */
@FunctionalInterface
public interface HistoryProvider {

    HistoryProvider NONE = run -> List.of();

    List<ChatMessage> history(RunInfo run);
}
