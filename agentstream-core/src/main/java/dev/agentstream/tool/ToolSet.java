package dev.agentstream.tool;

import dev.agentstream.run.FaultKind;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An agent's tools: their JSON schemas (from LangChain4j's tool specifications) and how to run
 * them (LangChain4j's {@link DefaultToolExecutor}, which binds the model's JSON arguments to the
 * method's parameters), with agentstream's HITL policy per tool. Immutable and thread-safe once
 * built; tool objects themselves must be thread-safe, since calls of one turn run concurrently.
 */
public final class ToolSet {

    private final Map<String, Entry> byName;

    private ToolSet(Map<String, Entry> byName) {
        this.byName = byName;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ToolSet empty() {
        return new ToolSet(Map.of());
    }

    public List<ToolSpecification> specifications() {
        return byName.values().stream().map(Entry::specification).toList();
    }

    public ToolPolicy policy(String toolName) {
        Entry entry = byName.get(toolName);
        return entry == null ? ToolPolicy.NONE : entry.policy;
    }

    /** How long a call of this tool may run before it is interrupted, when set for the tool. */
    public Optional<Duration> timeout(String toolName) {
        Entry entry = byName.get(toolName);
        return entry == null ? Optional.empty() : entry.timeout;
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /**
     * Runs one call on the calling thread.
     *
     * @throws ToolFailure if the tool is unknown, its arguments are not JSON or do not match its
     *     parameters, or it throws
     */
    public String execute(ToolExecutionRequest request) {
        Entry entry = byName.get(request.name());
        if (entry == null) {
            throw new ToolFailure(FaultKind.TOOL_UNKNOWN, "unknown tool: " + request.name()
                + " (the tools are " + String.join(", ", byName.keySet()) + ")");
        }
        if (entry.executor.isEmpty()) {
            throw new ToolFailure("tool " + request.name() + " is executed externally");
        }
        ToolArguments.check(entry.specification, request.arguments());
        ToolExecutionResult result;
        try {
            result = entry.executor.get().executeWithContext(request, InvocationContext.builder().build());
        } catch (RuntimeException e) {
            Throwable cause = rootCause(e);
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            throw new ToolFailure(message, cause);
        }
        // LangChain4j catches what the tool threw and reports it as an error result.
        if (result.isError()) {
            throw new ToolFailure(result.resultText());
        }
        return result.resultText();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while ((t instanceof InvocationTargetException || t.getClass() == RuntimeException.class) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private record Entry(ToolSpecification specification, Optional<ToolExecutor> executor, ToolPolicy policy,
                         Optional<Duration> timeout) {
    }

    /** A tool call that failed; the model is told the message and the run goes on. */
    public static final class ToolFailure extends RuntimeException {
        private final FaultKind kind;

        public ToolFailure(String message) {
            this(FaultKind.TOOL_FAILED, message);
        }

        public ToolFailure(String message, Throwable cause) {
            super(message, cause);
            this.kind = FaultKind.TOOL_FAILED;
        }

        public ToolFailure(FaultKind kind, String message) {
            super(message);
            this.kind = kind;
        }

        /** What went wrong, for metrics. */
        public FaultKind kind() {
            return kind;
        }
    }

    /** Collects tools; not thread-safe. */
    public static final class Builder {
        private final Map<String, Entry> byName = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds every {@link Tool} method of {@code toolObject}. */
        public Builder add(Object toolObject) {
            List<Method> methods = new ArrayList<>();
            for (Method method : toolObject.getClass().getDeclaredMethods()) {
                if (method.isAnnotationPresent(Tool.class)) {
                    methods.add(method);
                }
            }
            if (methods.isEmpty()) {
                throw new IllegalArgumentException("toolObject: " + toolObject.getClass().getName()
                    + " (expected: at least one @Tool method)");
            }
            for (Method method : methods) {
                ToolSpecification spec = ToolSpecifications.toolSpecificationFrom(method);
                put(spec, Optional.of(new DefaultToolExecutor(toolObject, method)));
            }
            return this;
        }

        /** Adds a tool that people run outside agentstream: the run pauses and waits for its result. */
        public Builder addExternal(ToolSpecification specification) {
            put(specification, Optional.empty());
            return policy(specification.name(), new ToolPolicy(false, List.of(), true));
        }

        /** Adds a tool the agent loop runs itself (a team's delegation to a member): no executor here. */
        public Builder addDelegation(ToolSpecification specification) {
            put(specification, Optional.empty());
            return this;
        }

        /** Sets the HITL policy of a tool added before. */
        public Builder policy(String toolName, ToolPolicy policy) {
            Entry entry = existing(toolName);
            byName.put(toolName, new Entry(entry.specification, entry.executor, policy, entry.timeout));
            return this;
        }

        /** How long a call of a tool added before may run before it is interrupted and fails. */
        public Builder timeout(String toolName, Duration timeout) {
            Entry entry = existing(toolName);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: positive)");
            }
            byName.put(toolName, new Entry(entry.specification, entry.executor, entry.policy, Optional.of(timeout)));
            return this;
        }

        private Entry existing(String toolName) {
            Entry entry = byName.get(toolName);
            if (entry == null) {
                throw new IllegalArgumentException("toolName: " + toolName + " (expected one of " + byName.keySet() + ")");
            }
            return entry;
        }

        private void put(ToolSpecification spec, Optional<ToolExecutor> executor) {
            if (byName.containsKey(spec.name())) {
                throw new IllegalArgumentException("tool name: " + spec.name() + " (expected: unique)");
            }
            byName.put(spec.name(), new Entry(spec, executor, ToolPolicy.NONE, Optional.empty()));
        }

        public ToolSet build() {
            return new ToolSet(Collections.unmodifiableMap(new LinkedHashMap<>(byName)));
        }
    }
}
