package dev.agentstream.store;

import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.RunInfo;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the last runs of a session back into the model's messages: per run the user's message,
 * the tool calls and their results, then the answer. An answer that was cut short ends with a
 * short note saying so and why, so the model knows the user did not see a whole answer.
 * Thread-safe; reads on the caller's thread.
 */
final class HistoryReader {

    static final String NOTE_STOPPED = "[This answer was interrupted: the user stopped it.]";
    static final String NOTE_DISCONNECTED = "[This answer was interrupted: the user disconnected.]";
    static final String NOTE_SERVER = "[This answer was interrupted: the server stopped before it was finished.]";
    static final String NOTE_ERROR = "[This answer was interrupted by an error.]";
    static final String NO_RESULT = "[No result: the run ended before this tool call finished.]";

    private final Database database;
    private final int maxRuns;

    HistoryReader(Database database, int maxRuns) {
        this.database = database;
        this.maxRuns = maxRuns;
    }

    /** The earlier messages of {@code run}'s session with the same agent, oldest first. */
    List<ChatMessage> read(RunInfo run) {
        if (maxRuns == 0) {
            return List.of();
        }
        try (Connection c = database.connection()) {
            List<PastRun> runs = Jdbc.query(c, """
                SELECT run_id, status, cancel_reason FROM runs
                 WHERE session_id = ? AND agent_id = ? AND run_id <> ?
                   AND status IN ('COMPLETED', 'CANCELLED', 'ERROR', 'INTERRUPTED')
                 ORDER BY session_seq DESC, started_at DESC, run_id DESC
                 LIMIT ?""", rs -> new PastRun(rs.getString(1), RunStatus.valueOf(rs.getString(2)), rs.getString(3)),
                run.sessionId(), run.agentId(), run.runId(), maxRuns);
            if (runs.isEmpty()) {
                return List.of();
            }
            Map<String, List<Message>> byRun = new LinkedHashMap<>();
            runs.reversed().forEach(r -> byRun.put(r.runId, new ArrayList<>()));
            Object[] ids = byRun.keySet().toArray();
            Jdbc.query(c, "SELECT run_id, role, content, tool_call_id, tool_name, tool_arguments FROM messages WHERE run_id IN ("
                    + Jdbc.placeholders(ids.length) + ") ORDER BY ordinal",
                rs -> new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6)), ids)
                .forEach(m -> byRun.get(m.runId).add(m));
            List<ChatMessage> history = new ArrayList<>();
            for (PastRun past : runs.reversed()) {
                addRun(history, past, byRun.get(past.runId));
            }
            return history;
        } catch (SQLException e) {
            throw new StorageException("reading the history of run " + run.runId() + " failed: " + Writer.describe(e), e);
        }
    }

    private static void addRun(List<ChatMessage> history, PastRun run, List<Message> messages) {
        String answer = "";
        List<Message> tools = new ArrayList<>();
        for (Message m : messages) {
            switch (m.role) {
                case "user" -> history.add(UserMessage.from(m.content));
                case "assistant" -> answer = m.content == null ? "" : m.content;
                default -> tools.add(m);
            }
        }
        if (!tools.isEmpty()) {
            history.add(AiMessage.from(tools.stream().map(t -> ToolExecutionRequest.builder().id(t.toolCallId)
                .name(t.toolName).arguments(t.toolArguments == null ? "{}" : t.toolArguments).build()).toList()));
            for (Message t : tools) {
                history.add(ToolExecutionResultMessage.from(t.toolCallId, t.toolName, t.content == null ? NO_RESULT : t.content));
            }
        }
        String note = note(run);
        String text = note == null ? answer : answer.isEmpty() ? note : answer + "\n\n" + note;
        if (!text.isBlank()) {
            history.add(AiMessage.from(text));
        }
    }

    private static String note(PastRun run) {
        return switch (run.status) {
            case CANCELLED -> NOTE_STOPPED;
            case ERROR -> NOTE_ERROR;
            case INTERRUPTED -> RunCancelled.REASON_CLIENT_DISCONNECTED.equals(run.cancelReason) ? NOTE_DISCONNECTED : NOTE_SERVER;
            default -> null;
        };
    }

    private record PastRun(String runId, RunStatus status, String cancelReason) {
    }

    private record Message(String runId, String role, String content, String toolCallId, String toolName,
                           String toolArguments) {
    }
}
