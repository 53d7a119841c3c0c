package dev.agentstream;

import static java.util.Objects.requireNonNull;

import dev.agentstream.event.UserInputField;
import dev.agentstream.tool.ToolPolicy;
import dev.agentstream.tool.ToolSet;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An LLM agent: a model, instructions and tools. Built in code, immutable, thread-safe; one agent
 * serves any number of concurrent runs.
 *
 * <pre>{@code
 * Agent agent = Agent.builder()
 *     .id("assistant").name("Assistant")
 *     .instructions("You are helpful.")
 *     .model(OpenAiStreamingChatModel.builder()...build())
 *     .tools(new MyTools())
 *     .requireConfirmation("send_email")
 *     .build();
 * }</pre>
 */
public final class Agent implements Member {

    private final String id;
    private final String name;
    private final String instructions;
    private final String description;
    private final StreamingChatModel model;
    private final String modelName;
    private final ToolSet tools;
    private final Integer upstreamRetries;

    private Agent(Builder b) {
        this.id = requireNonNull(b.id, "id");
        this.name = b.name == null ? b.id : b.name;
        this.instructions = b.instructions;
        this.description = b.description;
        this.model = requireNonNull(b.model, "model");
        this.modelName = b.modelName;
        this.tools = b.tools.build();
        this.upstreamRetries = b.upstreamRetries;
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

    public Optional<String> instructions() {
        return Optional.ofNullable(instructions);
    }

    @Override
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    public StreamingChatModel model() {
        return model;
    }

    /** A display name for the model, e.g. {@code gpt-4o-mini}; defaults to the provider's name. */
    public String modelName() {
        return modelName != null ? modelName : String.valueOf(model.provider());
    }

    public ToolSet tools() {
        return tools;
    }

    /** How often a model call that failed with 429/500/503 before any output is retried, when set for this agent. */
    public OptionalInt upstreamRetries() {
        return upstreamRetries == null ? OptionalInt.empty() : OptionalInt.of(upstreamRetries);
    }

    @Override
    public String toString() {
        return "Agent[" + id + "]";
    }

    /** Builds an {@link Agent}; not thread-safe. */
    public static final class Builder {
        private String id;
        private String name;
        private String instructions;
        private String description;
        private StreamingChatModel model;
        private String modelName;
        private final ToolSet.Builder tools = ToolSet.builder();
        private Integer upstreamRetries;

        private Builder() {
        }

        /** The agent's id, used in URLs and events; letters, digits, '-', '_' and '.' only. */
        public Builder id(String id) {
            this.id = Member.checkId(id);
            return this;
        }

        public Builder name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        /** The system message of every run. */
        public Builder instructions(String instructions) {
            this.instructions = requireNonNull(instructions, "instructions");
            return this;
        }

        public Builder description(String description) {
            this.description = requireNonNull(description, "description");
            return this;
        }

        public Builder model(StreamingChatModel model) {
            this.model = requireNonNull(model, "model");
            return this;
        }

        public Builder modelName(String modelName) {
            this.modelName = requireNonNull(modelName, "modelName");
            return this;
        }

        /** Adds every {@code @Tool} method of each object. */
        public Builder tools(Object... toolObjects) {
            for (Object toolObject : toolObjects) {
                tools.add(requireNonNull(toolObject, "toolObject"));
            }
            return this;
        }

        /** A tool whose calls wait for a person to approve or reject them. */
        public Builder requireConfirmation(String toolName) {
            tools.policy(toolName, new ToolPolicy(true, List.of(), false));
            return this;
        }

        /** A tool whose calls wait for a person to fill in these fields (merged into its arguments). */
        public Builder requireUserInput(String toolName, UserInputField... fields) {
            if (fields.length == 0) {
                throw new IllegalArgumentException("fields: none (expected: at least one)");
            }
            tools.policy(toolName, new ToolPolicy(false, List.of(fields), false));
            return this;
        }

        /** A tool the model may call but people run: the run pauses until its result is given. */
        public Builder externalTool(ToolSpecification specification) {
            tools.addExternal(requireNonNull(specification, "specification"));
            return this;
        }

        /** Sets any HITL policy on a tool added before. */
        public Builder toolPolicy(String toolName, ToolPolicy policy) {
            tools.policy(toolName, requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * How often a model call that the model's server answers with 429, 500, 502, 503 or 504
         * before any output is retried (with backoff, honouring {@code Retry-After}); default: the
         * runtime's ({@link AgentRuntime.Builder#upstreamRetries}). 0 turns retries off.
         */
        public Builder upstreamRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries: " + retries + " (expected: 0 or more)");
            }
            this.upstreamRetries = retries;
            return this;
        }

        /**
         * How long a call of a tool added before may run; past it the tool's thread is interrupted,
         * the call ends with {@code ToolCallError} and the run goes on. Default: the runtime's
         * ({@link AgentRuntime.Builder#toolTimeout}).
         */
        public Builder toolTimeout(String toolName, Duration timeout) {
            tools.timeout(toolName, requireNonNull(timeout, "timeout"));
            return this;
        }

        public Agent build() {
            return new Agent(this);
        }
    }
}
