package dev.agentstream.server.wire.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Agent;
import dev.agentstream.Member;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.Team;
import dev.agentstream.event.EventJson;
import dev.agentstream.event.Metrics;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolExecution;
import dev.agentstream.run.PausedRun;
import dev.agentstream.server.run.ServerRun;
import dev.agentstream.store.StoredMessage;
import dev.agentstream.store.StoredRun;
import dev.agentstream.store.StoredSession;
import dev.agentstream.tool.ToolPolicy;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON shapes of the native API's answers (snake_case through {@link EventJson}, nulls left
 * out, times in epoch seconds like the events). Records only; built from the run model and the store.
 */
final class Views {

    private Views() {
    }

    /** A run as {@code GET /v1/runs/{run_id}} and {@code stream: false} show it. */
    record RunView(String runId, String sessionId, String agentId, RunStatus status, String content,
                   String reasoningContent, List<ToolExecution> tools, List<RunRequirement> requirements,
                   Metrics metrics, String error, String cancelReason, long lastSeq, Long startedAt, Long completedAt) {

        static RunView live(ServerRun run) {
            Optional<RunHandle> handle = run.handle();
            if (handle.isEmpty()) {
                return new RunView(run.runId(), run.sessionId(), run.agentId(), RunStatus.PENDING, null, null,
                    null, null, null, null, null, 0, null, null);
            }
            return of(handle.get().output());
        }

        static RunView of(RunOutput output) {
            return new RunView(output.runId(), output.sessionId(), output.agentId(), output.status(), output.content(),
                output.reasoningContent(), output.tools().isEmpty() ? null : output.tools(),
                output.requirements().isEmpty() ? null : output.requirements(), output.metrics(), output.error(),
                output.cancelReason(), output.lastSeq(), null, null);
        }

        static RunView stored(StoredRun run, List<StoredMessage> sessionMessages, Optional<PausedRun> paused) {
            String content = null;
            String reasoning = null;
            List<ToolExecution> tools = new ArrayList<>();
            for (StoredMessage message : sessionMessages) {
                if (!run.runId().equals(message.runId())) {
                    continue;
                }
                if (message.messageId().equals(run.assistantMessageId())) {
                    content = message.content();
                    reasoning = message.reasoningContent();
                } else if ("tool".equals(message.role())) {
                    tools.add(new ToolExecution(message.toolCallId(), message.toolName(), args(message.toolArguments()),
                        message.content(),
                        message.error() != null ? Boolean.TRUE : null, null, null, null, null, null, null, null));
                }
            }
            Double duration = run.completedAt() == null || run.startedAt() == null ? null
                : Duration.between(run.startedAt(), run.completedAt()).toMillis() / 1000.0;
            Metrics metrics = new Metrics(run.inputTokens(), run.outputTokens(), run.totalTokens(), null, duration);
            List<RunRequirement> requirements = paused.map(PausedRun::requirements).filter(r -> !r.isEmpty()).orElse(null);
            if (paused.isPresent()) {
                tools = new ArrayList<>(paused.get().tools());
            }
            return new RunView(run.runId(), run.sessionId(), run.agentId(), run.status(), content, reasoning,
                tools.isEmpty() ? null : tools, requirements, metrics, run.error(), run.cancelReason(), run.lastSeq(),
                seconds(run.startedAt()), seconds(run.completedAt()));
        }
    }

    /** The answer to a background start and to a cancel. */
    record RunStatusView(String runId, String sessionId, RunStatus status) {
    }

    /** A run in a session's list of runs. */
    record RunSummary(String runId, String sessionId, String agentId, String parentRunId, RunStatus status,
                      Long startedAt, Long completedAt, String error, String cancelReason, Metrics metrics, long lastSeq) {

        static RunSummary of(StoredRun run) {
            return new RunSummary(run.runId(), run.sessionId(), run.agentId(), run.parentRunId(), run.status(),
                seconds(run.startedAt()), seconds(run.completedAt()), run.error(), run.cancelReason(),
                new Metrics(run.inputTokens(), run.outputTokens(), run.totalTokens(), null, null), run.lastSeq());
        }
    }

    record RunList(List<RunSummary> runs) {
    }

    /** A session. {@code activeRunId} is the run going in it now, if any. */
    record SessionView(String sessionId, String agentId, String title, Long createdAt, Long updatedAt,
                       String activeRunId) {

        static SessionView of(StoredSession session, String activeRunId) {
            return new SessionView(session.sessionId(), session.agentId(), session.title(),
                seconds(session.createdAt()), seconds(session.updatedAt()), activeRunId);
        }
    }

    record SessionList(List<SessionView> sessions, int limit, int offset) {
    }

    /** A message of a session; {@code toolArgs} is the JSON the model gave. */
    record MessageView(String messageId, String runId, String role, String content, String reasoningContent,
                       String toolCallId, String toolName, JsonNode toolArgs, Long createdAt, Long completedAt,
                       Boolean interrupted, String error) {

        static MessageView of(StoredMessage m) {
            return new MessageView(m.messageId(), m.runId(), m.role(), m.content(), m.reasoningContent(),
                m.toolCallId(), m.toolName(), json(m.toolArguments()), seconds(m.createdAt()), seconds(m.completedAt()),
                m.interrupted() ? Boolean.TRUE : null, m.error());
        }
    }

    record MessageList(List<MessageView> messages) {
    }

    /** An agent and its tools, or a team and its members. */
    record AgentView(String agentId, String kind, String name, String description, String model, List<ToolView> tools,
                     List<String> members) {

        static AgentView of(Member member) {
            return switch (member) {
                case Agent agent -> new AgentView(agent.id(), "agent", agent.name(), agent.description().orElse(null),
                    agent.modelName(), agent.tools().specifications().stream()
                        .map(spec -> ToolView.of(spec, agent.tools().policy(spec.name())))
                        .toList(), null);
                case Team team -> new AgentView(team.id(), "team", team.name(), team.description().orElse(null),
                    team.modelName(), null, team.members().stream().map(Member::id).toList());
            };
        }
    }

    record ToolView(String name, String description, Boolean requiresConfirmation, Boolean requiresUserInput,
                    Boolean externalExecution) {

        static ToolView of(ToolSpecification spec, ToolPolicy policy) {
            return new ToolView(spec.name(), spec.description(), policy.requiresConfirmation() ? Boolean.TRUE : null,
                policy.requiresUserInput() ? Boolean.TRUE : null, policy.externalExecution() ? Boolean.TRUE : null);
        }
    }

    record AgentList(List<AgentView> agents) {
    }

    /** A team as {@code GET /v1/teams} lists it: its id under {@code team_id}, as in its events. */
    record TeamView(String teamId, String name, String description, String model, List<String> members) {

        static TeamView of(Team team) {
            return new TeamView(team.id(), team.name(), team.description().orElse(null), team.modelName(),
                team.members().stream().map(Member::id).toList());
        }
    }

    record TeamList(List<TeamView> teams) {
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> args(String json) {
        JsonNode node = json(json);
        return node != null && node.isObject() ? EventJson.mapper().convertValue(node, java.util.Map.class) : null;
    }

    static Long seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return EventJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return EventJson.mapper().getNodeFactory().textNode(text);
        }
    }
}
