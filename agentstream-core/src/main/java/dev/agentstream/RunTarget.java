package dev.agentstream;

import dev.agentstream.tool.ToolSet;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the agent loop drives: a model with instructions and tools. For a team, the leader, whose
 * extra tools delegate to members.
 */
record RunTarget(String id, boolean team, StreamingChatModel model, String modelName, Optional<String> instructions,
                 ToolSet tools, Map<String, Member> delegates, OptionalInt upstreamRetries) {

    static RunTarget of(Member member) {
        return switch (member) {
            case Agent agent -> new RunTarget(agent.id(), false, agent.model(), agent.modelName(), agent.instructions(),
                agent.tools(), Map.of(), agent.upstreamRetries());
            case Team team -> leader(team);
        };
    }

    private static RunTarget leader(Team team) {
        Map<String, Member> delegates = new LinkedHashMap<>();
        ToolSet.Builder tools = ToolSet.builder();
        StringBuilder roster = new StringBuilder();
        team.instructions().ifPresent(text -> roster.append(text).append("\n\n"));
        roster.append("You lead a team. Delegate work to its members with the ask_* tools (you may ask several at once),")
            .append(" then write the final answer from what they reply. Members:\n");
        for (Member member : team.members()) {
            String toolName = Team.DELEGATE_PREFIX + member.id().replaceAll("[^A-Za-z0-9_-]", "_");
            delegates.put(toolName, member);
            String about = member.description().orElse(member.name());
            roster.append("- ").append(member.name()).append(" (tool ").append(toolName).append("): ").append(about)
                .append('\n');
            tools.addDelegation(ToolSpecification.builder()
                .name(toolName)
                .description("Ask " + member.name() + " to do a task and get their answer. " + about)
                .parameters(JsonObjectSchema.builder()
                    .addStringProperty("task", "What the member should do, with everything they need to know")
                    .required("task")
                    .build())
                .build());
        }
        return new RunTarget(team.id(), true, team.model(), team.modelName(), Optional.of(roster.toString()),
            tools.build(), Map.copyOf(delegates), OptionalInt.empty());
    }

    Optional<Member> delegate(String toolName) {
        return Optional.ofNullable(delegates.get(toolName));
    }
}
