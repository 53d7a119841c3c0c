package dev.agentstream;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.model.chat.StreamingChatModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A leader model that answers by delegating to member agents (or teams) in coordinate mode: the
 * leader gets one delegation tool per member, decides whom to ask, gets the members' answers back as
 * tool results, and writes the final answer. Members asked in one turn run concurrently. A team run
 * is one stream: the team's own events carry the {@code Team} prefix, and each member run appears in
 * it with its own events ({@code RunStarted} … {@code RunCompleted}, with {@code parent_run_id}).
 * Immutable and thread-safe.
 */
public final class Team implements Member {

    /** Delegation tools are named with this prefix followed by the member's id. */
    public static final String DELEGATE_PREFIX = "ask_";

    private final String id;
    private final String name;
    private final String instructions;
    private final String description;
    private final StreamingChatModel model;
    private final String modelName;
    private final List<Member> members;

    private Team(Builder b) {
        this.id = requireNonNull(b.id, "id");
        this.name = b.name == null ? b.id : b.name;
        this.instructions = b.instructions;
        this.description = b.description;
        this.model = requireNonNull(b.model, "model");
        this.modelName = b.modelName;
        if (b.members.isEmpty()) {
            throw new IllegalArgumentException("members: none (expected: at least one)");
        }
        this.members = List.copyOf(b.members);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    public Optional<String> instructions() {
        return Optional.ofNullable(instructions);
    }

    /** The leader's model. */
    public StreamingChatModel model() {
        return model;
    }

    public String modelName() {
        return modelName != null ? modelName : String.valueOf(model.provider());
    }

    public List<Member> members() {
        return members;
    }

    @Override
    public String toString() {
        return "Team[" + id + "]";
    }

    /** Builds a {@link Team}; not thread-safe. */
    public static final class Builder {
        private String id;
        private String name;
        private String instructions;
        private String description;
        private StreamingChatModel model;
        private String modelName;
        private final List<Member> members = new ArrayList<>();
        private final Set<String> memberIds = new HashSet<>();

        private Builder() {
        }

        public Builder id(String id) {
            this.id = Member.checkId(id);
            return this;
        }

        public Builder name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        /** What the leader is told, before the list of members. */
        public Builder instructions(String instructions) {
            this.instructions = requireNonNull(instructions, "instructions");
            return this;
        }

        public Builder description(String description) {
            this.description = requireNonNull(description, "description");
            return this;
        }

        /** The leader's model. */
        public Builder model(StreamingChatModel model) {
            this.model = requireNonNull(model, "model");
            return this;
        }

        public Builder modelName(String modelName) {
            this.modelName = requireNonNull(modelName, "modelName");
            return this;
        }

        public Builder member(Member member) {
            requireNonNull(member, "member");
            if (!memberIds.add(member.id())) {
                throw new IllegalArgumentException("member id: " + member.id() + " (expected: unique in the team)");
            }
            members.add(member);
            return this;
        }

        public Team build() {
            return new Team(this);
        }
    }
}
