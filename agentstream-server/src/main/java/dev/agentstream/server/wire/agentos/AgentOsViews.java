package dev.agentstream.server.wire.agentos;

import dev.agentstream.Agent;
import dev.agentstream.Member;
import dev.agentstream.RunOutput;
import dev.agentstream.Team;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentstream.event.EventJson;
import dev.agentstream.event.Metrics;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolExecution;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.store.StoredMessage;
import dev.agentstream.store.StoredRun;
import dev.agentstream.store.StoredSession;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shapes of AgentOS's answers, with the fields Agno's clients read (snake_case through
 * the run model's mapper, nulls left out, times in epoch seconds). Records only.
 */
final class AgentOsViews {

    /** The one database agentstream serves, named so that clients that need a {@code db_id} get one. */
    static final String DB_ID = "agentstream";

    private AgentOsViews() {
    }

    /** Agno's error body: {@code {"detail": "…"}}, the text Agent UI shows. */
    record Detail(String detail) {

        static Object of(ApiError error) {
            return new Detail(error.getMessage());
        }
    }

    /** An agent or a team in {@code GET /agents} and {@code GET /teams}. */
    record ComponentView(String id, String name, String dbId, ModelView model, String description) {

        static ComponentView of(Member member) {
            return new ComponentView(member.id(), member.name(), DB_ID, ModelView.of(member),
                member.description().orElse(null));
        }
    }

    /** The model an agent or team runs on; Agent UI shows {@code model} and picks an icon by provider. */
    record ModelView(String name, String model, String provider) {

        static ModelView of(Member member) {
            return switch (member) {
                case Agent agent -> of(agent.modelName(), agent.model());
                case Team team -> of(team.modelName(), team.model());
            };
        }

        private static ModelView of(String modelName, StreamingChatModel model) {
            return new ModelView(modelName, modelName, provider(model));
        }

        private static String provider(StreamingChatModel model) {
            String provider = String.valueOf(model.provider());
            return switch (provider) {
                case "OPEN_AI" -> "OpenAI";
                case "AZURE_OPEN_AI" -> "Azure";
                case "ANTHROPIC" -> "Anthropic";
                case "OLLAMA" -> "Ollama";
                case "GOOGLE_AI_GEMINI", "GOOGLE_VERTEX_AI_GEMINI" -> "Google";
                case "MISTRAL_AI" -> "Mistral";
                default -> provider.charAt(0) + provider.substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
            };
        }
    }

    /** A session in the list; {@code session_name} is the first line of its first message. */
    record SessionSummary(String sessionId, String sessionName, Long createdAt, Long updatedAt) {

        static SessionSummary of(StoredSession session) {
            return new SessionSummary(session.sessionId(), name(session), seconds(session.createdAt()),
                seconds(session.updatedAt()));
        }
    }

    /** One page of sessions, as Agno pages them (pages count from 1). */
    record SessionPage(List<SessionSummary> data, PageMeta meta) {
    }

    record PageMeta(int page, int limit, int totalPages, int totalCount) {
    }

    /** A session with its owner and the agent or team it talks to. */
    record SessionDetail(String sessionId, String sessionName, String sessionType, String userId, String agentId,
                         String teamId, Long createdAt, Long updatedAt) {

        static SessionDetail of(StoredSession session, boolean team) {
            return new SessionDetail(session.sessionId(), name(session), team ? "team" : "agent", session.userId(),
                team ? null : session.agentId(), team ? session.agentId() : null, seconds(session.createdAt()),
                seconds(session.updatedAt()));
        }
    }

    /**
     * A run as a session's history and {@code stream=false} show it: Agent UI makes the user's turn
     * from {@code run_input} and the answer from {@code content} (always a string), {@code tools} and
     * {@code extra_data.reasoning_steps}.
     */
    record RunView(String runId, String sessionId, String agentId, String teamId, RunStatus status, String runInput,
                   String content, String reasoningContent, List<ToolExecution> tools, Metrics metrics,
                   Map<String, Object> extraData, String error, Long createdAt) {

        static RunView of(RunOutput output, boolean team, String runInput, Long createdAt) {
            return new RunView(output.runId(), output.sessionId(), team ? null : output.agentId(),
                team ? output.agentId() : null, output.status(), runInput,
                output.content() == null ? "" : output.content(), output.reasoningContent(),
                output.tools().isEmpty() ? null : output.tools(), output.metrics(), reasoningExtra(output.reasoningContent()),
                output.error(), createdAt);
        }

        /**
         * A run from the store: the question and answer from its messages (the answer as far as it
         * was flushed), its tool calls, or the paused calls when it waits for a decision.
         */
        static RunView stored(StoredRun run, boolean team, List<StoredMessage> runMessages, List<ToolExecution> paused) {
            String runInput = null;
            String content = "";
            String reasoning = null;
            List<ToolExecution> tools = new ArrayList<>();
            for (StoredMessage message : runMessages) {
                if (message.messageId().equals(run.userMessageId())) {
                    runInput = message.content();
                } else if (message.messageId().equals(run.assistantMessageId())) {
                    content = message.content() == null ? "" : message.content();
                    reasoning = message.reasoningContent();
                } else if ("tool".equals(message.role())) {
                    tools.add(new ToolExecution(message.toolCallId(), message.toolName(), toolArgs(message.toolArguments()),
                        message.content(), message.error() != null ? Boolean.TRUE : null, null, null, null, null, null,
                        null, null));
                }
            }
            if (!paused.isEmpty()) {
                tools = paused;
            }
            return new RunView(run.runId(), run.sessionId(), team ? null : run.agentId(), team ? run.agentId() : null,
                run.status(), runInput, content, reasoning, tools.isEmpty() ? null : tools,
                new Metrics(run.inputTokens(), run.outputTokens(), run.totalTokens(), null, null), reasoningExtra(reasoning),
                run.error(), seconds(run.startedAt()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toolArgs(String json) {
        if (json == null) {
            return null;
        }
        try {
            Object parsed = EventJson.mapper().readValue(json, Object.class);
            return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The reasoning as the one step Agent UI shows, as the stream's {@code ReasoningStep} has it. */
    static Map<String, Object> reasoningExtra(String reasoning) {
        return reasoning == null || reasoning.isEmpty() ? null
            : Map.of("reasoning_steps", List.of(AgentOsEncoder.reasoningStep(reasoning)));
    }

    private static String name(StoredSession session) {
        return session.title() == null ? "" : session.title();
    }

    static Long seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }
}
