package dev.agentstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunContentCompleted;
import dev.agentstream.event.RunContinued;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.RunStarted;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.event.ToolCallError;
import dev.agentstream.event.ToolCallStarted;
import dev.agentstream.event.ToolExecution;
import dev.agentstream.event.UserInputField;
import dev.agentstream.http.ModelCalls;
import dev.agentstream.run.FaultKind;
import dev.agentstream.run.HistoryProvider;
import dev.agentstream.run.PausedRun;
import dev.agentstream.tool.ToolPolicy;
import dev.agentstream.tool.ToolSet;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.agentstream.run.RunInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent loop of one run: stream the model, run the tools it calls, repeat until it answers
 * without tools; pause when a tool needs a person, and go on when they decided.
 *
 * <p>Thread contract: each segment runs on its own virtual thread, and segments never overlap
 * (continue starts only from PAUSED, claimed under the emitter's lock), so {@link #messages} is
 * touched by one thread at a time. Tool calls of one model turn run concurrently on virtual threads.
 */
final class AgentRun {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRun.class);
    private static final TypeReference<Map<String, Object>> ARGS = new TypeReference<>() {
    };
    /** Runs a tool timeout's report off the JDK's single timer thread. */
    private static final Executor TIMEOUT_REPORTERS = task -> Thread.ofVirtual().name("tool-timeout").start(task);

    private final RunTarget target;
    private final RunEmitter emitter;
    private final RunControl control;
    private final HistoryProvider history;
    private final FaultPolicy policy;
    private final List<ChatMessage> messages = new ArrayList<>();
    /** Requests of the calls a pause waits for, by tool call id, to run them on continue. */
    private final Map<String, ToolExecutionRequest> pendingRequests = new LinkedHashMap<>();
    /** A team's member runs that paused, by the id of the delegation call that started them. */
    private final Map<String, AgentRun> pausedMembers = new LinkedHashMap<>();
    /** A team's member runs, to end them before the team ends. */
    private final List<AgentRun> members = new java.util.concurrent.CopyOnWriteArrayList<>();

    AgentRun(RunTarget target, RunEmitter emitter, RunControl control, HistoryProvider history, FaultPolicy policy) {
        this.target = target;
        this.emitter = emitter;
        this.control = control;
        this.history = history;
        this.policy = policy;
    }

    /**
     * Restores a run paused in another process; for a team, with its paused members, each waiting
     * on the leader's delegation call it answers, as {@link #collectPausedMembers} left them.
     */
    void restore(PausedRun state) {
        messages.addAll(ChatMessageDeserializer.messagesFromJson(state.messagesJson()));
        Set<String> waitingCalls = new HashSet<>();
        state.requirements().forEach(requirement -> waitingCalls.add(requirement.toolCallId()));
        state.members().forEach(member -> waitingCalls.add(member.run().delegationCallId()));
        for (ToolExecutionRequest request : lastAiMessage().toolExecutionRequests()) {
            if (waitingCalls.contains(request.id())) {
                pendingRequests.put(request.id(), request);
            }
        }
        for (PausedRun memberState : state.members()) {
            restoreMember(memberState);
        }
        emitter.restore(state);
    }

    private void restoreMember(PausedRun state) {
        String callId = state.run().delegationCallId();
        ToolExecutionRequest delegation = pendingRequests.get(callId);
        Member who = delegation == null ? null : target.delegate(delegation.name()).orElse(null);
        if (who == null) {
            throw new IllegalStateException("paused member run " + state.run().runId() + " answers call " + callId
                + ", which is no delegation of team " + target.id() + " in its last turn");
        }
        RunTarget memberTarget = RunTarget.of(who);
        AgentRun member = new AgentRun(memberTarget, emitter.member(state.run(), memberTarget.team()), control.child(),
            HistoryProvider.NONE, policy);
        member.restore(state);
        members.add(member);
        pausedMembers.put(callId, member);
    }

    RunEmitter emitter() {
        return emitter;
    }

    RunControl control() {
        return control;
    }

    void start() {
        Thread.ofVirtual().name("run-" + emitter.info().runId()).start(this::firstSegment);
    }

    /** Starts the continue segment; the caller has claimed the pause and validated the decisions. */
    void resume(Map<String, ToolDecision> decisions) {
        Thread.ofVirtual().name("run-" + emitter.info().runId()).start(() -> continueSegment(decisions));
    }

    void firstSegment() {
        try {
            emitter.emit(h -> new RunStarted(h, target.modelName()));
            target.instructions().ifPresent(text -> messages.add(SystemMessage.from(text)));
            messages.addAll(history.history(emitter.info()));
            messages.add(UserMessage.from(emitter.info().message()));
            loop();
        } catch (Throwable t) {
            fail(t);
        }
    }

    void continueSegment(Map<String, ToolDecision> decisions) {
        try {
            emitter.emit(RunContinued::new);
            List<ToolExecution> pending = new ArrayList<>();
            for (RunRequirement requirement : emitter.requirements()) {
                pending.add(requirement.tool());
            }
            List<PreparedCall> toRun = new ArrayList<>();
            Map<String, String> results = new LinkedHashMap<>();
            Set<String> answeredByMembers = new HashSet<>();
            for (Map.Entry<String, AgentRun> paused : pausedMembers.entrySet()) {
                AgentRun member = paused.getValue();
                Map<String, ToolDecision> forMember = new HashMap<>();
                for (RunRequirement requirement : member.emitter.requirements()) {
                    forMember.put(requirement.toolCallId(), decisions.get(requirement.toolCallId()));
                    answeredByMembers.add(requirement.toolCallId());
                }
                member.emitter.claimPaused();
                ToolExecution delegation = emitter.tool(paused.getKey());
                toRun.add(new PreparedCall(delegation, pendingRequests.get(paused.getKey()), member, forMember));
            }
            pausedMembers.clear();
            for (ToolExecution tool : pending) {
                if (answeredByMembers.contains(tool.toolCallId())) {
                    continue;
                }
                ToolDecision decision = decisions.get(tool.toolCallId());
                ToolExecutionRequest request = pendingRequests.get(tool.toolCallId());
                if (Boolean.TRUE.equals(tool.externalExecutionRequired())) {
                    ToolExecution done = tool.withResult(decision.result(), false, null);
                    emitter.emit(h -> new ToolCallCompleted(h, done));
                    results.put(tool.toolCallId(), decision.result());
                } else if (Boolean.TRUE.equals(tool.requiresConfirmation()) && !Boolean.TRUE.equals(decision.confirmed())) {
                    String result = rejection(decision.confirmationNote());
                    ToolExecution rejected = tool.withDecision(false, decision.confirmationNote(), tool.userInputSchema())
                        .withResult(result, false, null);
                    emitter.emit(h -> new ToolCallCompleted(h, rejected));
                    results.put(tool.toolCallId(), result);
                } else {
                    toRun.add(approved(tool, request, decision));
                }
            }
            Map<String, ToolOutcome> outcomes = new LinkedHashMap<>();
            if (!runTools(toRun, outcomes)) {
                cancelled();
                return;
            }
            outcomes.forEach((id, outcome) -> results.put(id, outcome.result()));
            List<RunRequirement> stillWaiting = collectPausedMembers(toRun, outcomes);
            if (!stillWaiting.isEmpty()) {
                emitter.paused(stillWaiting, ChatMessageSerializer.messagesToJson(messages));
                return;
            }
            for (Map.Entry<String, ToolExecutionRequest> waiting : pendingRequests.entrySet()) {
                messages.add(ToolExecutionResultMessage.from(waiting.getValue(), results.get(waiting.getKey())));
            }
            pendingRequests.clear();
            loop();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private PreparedCall approved(ToolExecution tool, ToolExecutionRequest request, ToolDecision decision) {
        ToolExecution decided = tool;
        ToolExecutionRequest finalRequest = request;
        if (Boolean.TRUE.equals(tool.requiresConfirmation())) {
            decided = decided.withDecision(true, decision.confirmationNote(), tool.userInputSchema());
        }
        if (Boolean.TRUE.equals(tool.requiresUserInput())) {
            Map<String, Object> args = new LinkedHashMap<>(tool.toolArgs());
            args.putAll(decision.userInput());
            List<UserInputField> filled = tool.userInputSchema().stream()
                .map(f -> f.withValue(decision.userInput().get(f.name())))
                .toList();
            decided = decided.withArgs(args).withDecision(decided.confirmed(), decided.confirmationNote(), filled);
            finalRequest = ToolExecutionRequest.builder().id(request.id()).name(request.name())
                .arguments(EventJson.write(args)).build();
        }
        return new PreparedCall(decided, finalRequest, null, null);
    }

    private static String rejection(String note) {
        String text = "The user rejected this tool call; it was not executed.";
        return note == null || note.isBlank() ? text : text + " Note from the user: " + note;
    }

    private void loop() throws InterruptedException, ExecutionException {
        while (true) {
            if (control.isCancelled()) {
                cancelled();
                return;
            }
            Optional<ChatResponse> response;
            try {
                response = callModel();
            } catch (ModelCallFailed e) {
                fail(e.getCause(), e.attempts);
                return;
            }
            if (response.isEmpty()) {
                cancelled();
                return;
            }
            AiMessage ai = response.get().aiMessage();
            messages.add(ai);
            if (!ai.hasToolExecutionRequests()) {
                emitter.emit(RunContentCompleted::new);
                emitter.complete();
                return;
            }
            List<PreparedCall> toRun = new ArrayList<>();
            List<RunRequirement> requirements = new ArrayList<>();
            for (ToolExecutionRequest request : ai.toolExecutionRequests()) {
                ToolExecution tool = describe(request, target.tools().policy(request.name()));
                emitter.emit(h -> new ToolCallStarted(h, tool));
                if (tool.needsPerson()) {
                    pendingRequests.put(request.id(), request);
                    requirements.add(requirement(tool));
                } else {
                    toRun.add(new PreparedCall(tool, request, null, null));
                }
            }
            Map<String, ToolOutcome> outcomes = new LinkedHashMap<>();
            if (!runTools(toRun, outcomes)) {
                cancelled();
                return;
            }
            requirements.addAll(collectPausedMembers(toRun, outcomes));
            for (PreparedCall call : toRun) {
                if (!pausedMembers.containsKey(call.tool().toolCallId())) {
                    messages.add(ToolExecutionResultMessage.from(call.request(),
                        outcomes.get(call.tool().toolCallId()).result()));
                }
            }
            if (!requirements.isEmpty()) {
                emitter.paused(requirements, ChatMessageSerializer.messagesToJson(messages));
                return;
            }
        }
    }

    /**
     * One model turn, retried while the model's server answers "later" before any output (see
     * {@link UpstreamRetry}). Empty when the run was cancelled, during the turn or a wait.
     */
    private Optional<ChatResponse> callModel() throws ModelCallFailed, InterruptedException {
        UpstreamRetry retry = new UpstreamRetry(target.upstreamRetries().orElse(policy.upstreamRetries()), Clock.systemUTC());
        for (int attempt = 1; ; attempt++) {
            ModelTurn turn = new ModelTurn(emitter, control);
            try {
                return streamTurn(turn);
            } catch (ExecutionException e) {
                Throwable error = e.getCause();
                Optional<Duration> wait = retry.waitBefore(attempt, error, turn.producedOutput());
                if (wait.isEmpty()) {
                    throw new ModelCallFailed(error, attempt);
                }
                int status = ModelFailure.status(error).orElseThrow();
                LOG.warn("run {}: the model answered HTTP {}; retry {} of {} in {} ms", emitter.info().runId(), status,
                    attempt, retry.retries(), wait.get().toMillis());
                emitter.upstreamRetry(status, wait.get());
                if (!control.sleepUnlessCancelled(wait.get())) {
                    return Optional.empty();
                }
            }
        }
    }

    private Optional<ChatResponse> streamTurn(ModelTurn turn) throws ExecutionException, InterruptedException {
        ChatRequest.Builder request = ChatRequest.builder().messages(List.copyOf(messages));
        if (!target.tools().isEmpty()) {
            request.toolSpecifications(target.tools().specifications());
        }
        ModelCalls calls = new ModelCalls();
        control.attachCalls(calls);
        try {
            calls.record(() -> target.model().chat(request.build(), turn));
        } catch (RuntimeException e) {
            turn.onError(e);
        }
        try {
            return awaitTurn(turn);
        } finally {
            control.detachHandle();
        }
    }

    /**
     * Waits for the model's answer; a model that sends nothing for {@code modelIdleTimeout} (a
     * stalled upstream that keeps its connection open) fails the turn and has its stream closed.
     */
    private Optional<ChatResponse> awaitTurn(ModelTurn turn) throws ExecutionException, InterruptedException {
        Duration idleTimeout = policy.modelIdleTimeout();
        long idleLimit = idleTimeout.toNanos();
        while (true) {
            long idleFor = System.nanoTime() - turn.lastActivityNanos();
            if (idleFor >= idleLimit) {
                control.closeModelStream();
                throw new ExecutionException(new ModelStalledException("upstream stalled: the model sent nothing for "
                    + inWords(idleTimeout)));
            }
            Optional<Optional<ChatResponse>> result = control.awaitUnlessCancelled(turn.response(), idleLimit - idleFor);
            if (result.isPresent()) {
                return result.get();
            }
        }
    }

    /**
     * Runs the calls concurrently, each emitting its own completion as it finishes; puts each
     * result (or error text for the model) into {@code results}. Returns false if the run was
     * cancelled meanwhile (running tools are interrupted).
     */
    private boolean runTools(List<PreparedCall> calls, Map<String, ToolOutcome> results)
        throws InterruptedException, ExecutionException {
        if (calls.isEmpty()) {
            return true;
        }
        Map<String, CompletableFuture<ToolOutcome>> futures = new LinkedHashMap<>();
        for (PreparedCall call : calls) {
            CompletableFuture<ToolOutcome> future = new CompletableFuture<>();
            futures.put(call.tool().toolCallId(), future);
            Thread.ofVirtual().name("tool-" + call.tool().toolName()).start(() -> execute(call, future));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new));
        if (control.awaitUnlessCancelled(all.thenApply(v -> Boolean.TRUE)).isEmpty()) {
            return false;
        }
        futures.forEach((id, future) -> results.put(id, future.join()));
        return true;
    }

    private void execute(PreparedCall call, CompletableFuture<ToolOutcome> future) {
        Thread self = Thread.currentThread();
        boolean delegation = target.delegate(call.request().name()).isPresent();
        long start = System.nanoTime();
        // The tool's end and its timeout race; whichever settles the call first reports it.
        AtomicBoolean settled = new AtomicBoolean();
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        if (!delegation) {
            // A member run is stopped through its own control, not by interrupting the thread it runs on,
            // and is bounded by its own model and tool timeouts.
            control.registerToolThread(self);
            Duration timeout = target.tools().timeout(call.request().name()).orElse(policy.toolTimeout());
            deadline.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenCompleteAsync((ignored, e) -> {
                if (e instanceof TimeoutException && settled.compareAndSet(false, true)) {
                    self.interrupt();
                    toolFailed(call, FaultKind.TOOL_TIMEOUT, "tool " + call.request().name() + " did not finish within "
                        + inWords(timeout) + " and was stopped", start, future);
                }
            }, TIMEOUT_REPORTERS);
        }
        try {
            ToolOutcome outcome = delegation ? delegate(call) : new ToolOutcome(target.tools().execute(call.request()), null);
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            if (outcome.pausedMember() == null) {
                ToolExecution done = call.tool().withResult(outcome.result(), false, metricsSince(start));
                if (!control.isCancelled()) {
                    emitter.emit(h -> new ToolCallCompleted(h, done));
                }
            }
            future.complete(outcome);
        } catch (ToolSet.ToolFailure failure) {
            if (settled.compareAndSet(false, true)) {
                toolFailed(call, failure.kind(), failure.getMessage(), start, future);
            }
        } catch (Throwable t) {
            if (settled.compareAndSet(false, true)) {
                future.completeExceptionally(t);
            }
        } finally {
            deadline.complete(null);
            control.unregisterToolThread(self);
        }
    }

    /** Reports a failed call (ToolCallError) and gives the model the error as the call's result. */
    private void toolFailed(PreparedCall call, FaultKind kind, String message, long start,
                            CompletableFuture<ToolOutcome> future) {
        ToolExecution failed = call.tool().withResult(message, true, metricsSince(start));
        if (!control.isCancelled()) {
            LOG.info("run {}: tool call {} failed ({}): {}", emitter.info().runId(), call.request().name(), kind.label(), message);
            emitter.fault(kind);
            emitter.emit(h -> new ToolCallError(h, failed, message));
        }
        future.complete(new ToolOutcome("Error: " + message, null));
    }

    /**
     * Runs (or continues) a member on this thread, its events numbered into this run's stream, and
     * returns its answer, or the member itself when it paused for a person.
     */
    private ToolOutcome delegate(PreparedCall call) {
        AgentRun member = call.resumeMember();
        if (member == null) {
            Member who = target.delegate(call.request().name()).orElseThrow();
            Object task = call.tool().toolArgs().get("task");
            RunInfo info = emitter.info();
            RunInfo memberInfo = new RunInfo(UUID.randomUUID().toString(), info.sessionId(), info.userId(), who.id(),
                info.runId(), task == null ? "" : task.toString(), Instant.now(), call.tool().toolCallId());
            RunTarget memberTarget = RunTarget.of(who);
            member = new AgentRun(memberTarget, emitter.member(memberInfo, memberTarget.team()), control.child(),
                HistoryProvider.NONE, policy);
            members.add(member);
            member.firstSegment();
        } else {
            member.continueSegment(call.memberDecisions());
        }
        RunOutput output = member.emitter.output();
        return switch (output.status()) {
            case COMPLETED -> new ToolOutcome(output.content(), null);
            case PAUSED -> new ToolOutcome(null, member);
            case ERROR -> throw new ToolSet.ToolFailure(output.error());
            default -> new ToolOutcome("The member's run was stopped (" + output.status() + "): " + output.content(), null);
        };
    }

    /** Remembers members that paused and returns what they wait for, which this run now waits for too. */
    private List<RunRequirement> collectPausedMembers(List<PreparedCall> calls, Map<String, ToolOutcome> outcomes) {
        List<RunRequirement> waiting = new ArrayList<>();
        for (PreparedCall call : calls) {
            AgentRun paused = outcomes.get(call.tool().toolCallId()).pausedMember();
            if (paused != null) {
                pausedMembers.put(call.tool().toolCallId(), paused);
                pendingRequests.put(call.tool().toolCallId(), call.request());
                waiting.addAll(paused.emitter.requirements());
            }
        }
        return waiting;
    }

    /** Ends this run while it is paused (no thread runs it): its paused members first, then itself. */
    void endPaused(String reason) {
        pausedMembers.values().forEach(member -> member.endPaused(reason));
        emitter.cancelled(reason);
    }

    /** "60 s", or "500 ms" when it is not whole seconds. */
    private static String inWords(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static ToolExecution.ToolMetrics metricsSince(long startNanos) {
        return new ToolExecution.ToolMetrics((System.nanoTime() - startNanos) / 1e9);
    }

    private static ToolExecution describe(ToolExecutionRequest request, ToolPolicy policy) {
        ToolExecution tool = ToolExecution.started(request.id(), request.name(), parseArgs(request.arguments()));
        if (!policy.needsPerson()) {
            return tool;
        }
        return tool.withRequirements(policy.requiresConfirmation() ? Boolean.TRUE : null,
            policy.requiresUserInput() ? Boolean.TRUE : null,
            policy.requiresUserInput() ? policy.userInputFields() : null,
            policy.externalExecution() ? Boolean.TRUE : null);
    }

    private static RunRequirement requirement(ToolExecution tool) {
        RunRequirement.Kind kind = Boolean.TRUE.equals(tool.externalExecutionRequired())
            ? RunRequirement.Kind.EXTERNAL_EXECUTION
            : Boolean.TRUE.equals(tool.requiresUserInput()) ? RunRequirement.Kind.USER_INPUT
            : RunRequirement.Kind.CONFIRMATION;
        return new RunRequirement(tool.toolCallId(), kind, tool, tool.userInputSchema());
    }

    static Map<String, Object> parseArgs(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return EventJson.mapper().readValue(json, ARGS);
        } catch (JsonProcessingException e) {
            // The model wrote broken JSON: keep it visible rather than lose it.
            return Map.of("_raw", json);
        }
    }

    private AiMessage lastAiMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof AiMessage ai) {
                return ai;
            }
        }
        throw new IllegalStateException("paused run has no assistant message");
    }

    private void cancelled() {
        String reason = control.reason().orElse(AgentRuntime.REASON_CANCELLED);
        awaitMembersEnded(reason);
        Optional<RuntimeException> failure = control.failure();
        if (failure.isPresent()) {
            emitter.failed(failure.get());
        } else {
            emitter.cancelled(reason);
        }
    }

    /**
     * Gives member runs a moment to emit their own RunCancelled before the team's ends the stream;
     * they are cancelled already (the control cascades), so this is milliseconds.
     */
    private void awaitMembersEnded(String reason) {
        for (AgentRun member : members) {
            if (member.emitter.status() == dev.agentstream.event.RunStatus.PAUSED) {
                member.endPaused(reason);
                continue;
            }
            try {
                member.emitter.segmentEnd().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("member run {} did not end in time", member.emitter.info().runId());
            }
        }
    }

    private void fail(Throwable t) {
        fail(t, 1);
    }

    /** Ends the run with RunError, its error in words a user can act on, counted by kind. */
    private void fail(Throwable t, int attempts) {
        if (control.isCancelled()) {
            cancelled();
            return;
        }
        FaultKind kind = ModelFailure.kind(t);
        Throwable readable = ModelFailure.readable(t, attempts);
        LOG.warn("run {} failed ({}): {}", emitter.info().runId(), kind.label(), RunEmitter.describe(readable));
        // The readable error, not the raw one: an error body may quote the model key, masked only here.
        LOG.debug("run {} failed", emitter.info().runId(), readable);
        emitter.fault(kind);
        emitter.failed(readable);
    }

    /** A model call that failed for good, after {@code attempts} tries. */
    private static final class ModelCallFailed extends Exception {
        private final int attempts;

        ModelCallFailed(Throwable error, int attempts) {
            super(error);
            this.attempts = attempts;
        }
    }

    /** The model's stream went silent for longer than the idle timeout. */
    static final class ModelStalledException extends RuntimeException {
        ModelStalledException(String message) {
            super(message);
        }
    }

    /** A tool call ready to run; for a member run that paused, the member and the decisions to continue it with. */
    private record PreparedCall(ToolExecution tool, ToolExecutionRequest request, AgentRun resumeMember,
                                Map<String, ToolDecision> memberDecisions) {
    }

    /** A tool's result text, or the member run that paused instead of answering. */
    private record ToolOutcome(String result, AgentRun pausedMember) {
    }
}
