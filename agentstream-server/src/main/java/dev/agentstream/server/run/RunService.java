package dev.agentstream.server.run;

import static java.util.Objects.requireNonNull;

import dev.agentstream.AgentRuntime;
import dev.agentstream.Member;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.Team;
import dev.agentstream.ToolDecision;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.RunStatus;
import dev.agentstream.redis.RunStreams;
import dev.agentstream.run.PausedRun;
import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.metrics.ServerMetrics;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StoredSession;
import dev.agentstream.store.WebhookDeliveries;
import dev.langchain4j.data.message.ChatMessage;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every wire format does with runs, in one place: start one in a session under a multitask
 * strategy and an idempotency key, find a run for its owner, cancel, continue, and give a reader a
 * {@link RunFeed}. Routes parse and render; this class decides.
 *
 * <p>Expected refusals (not found, busy session, run not paused, …) are thrown as {@link ApiError}
 * so that every format renders them the same way.
 *
 * <p>Thread contract: thread-safe; called from request threads and, when a run's segment ends,
 * from a virtual thread that starts the next run of its session.
 */
public final class RunService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

    private final AgentRuntime runtime;
    private final SessionStore store;
    private final Map<String, Member> agents;
    private final SessionLanes lanes;
    private final Map<String, ServerRun> live = new ConcurrentHashMap<>();
    private final Executor laneExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final RunStopper stopper;
    private final Duration storePoll;
    private final ServerMetrics metrics;
    private final RunLimits limits;
    private final RunIntake intake;
    /** Null without Redis: readers of runs executing elsewhere poll the store. */
    private final RunStreams eventStreams;
    private final WebhookDeliveries webhooks;

    /** @param webhooks where background runs' webhooks are registered, or null when webhooks are off */
    public RunService(AgentRuntime runtime, SessionStore store, Map<String, Member> agents, int maxWaitingPerSession,
               Duration cancelWait, Duration storePoll, ServerMetrics metrics, RunLimits limits, RunStreams eventStreams,
               WebhookDeliveries webhooks, RunIntake intake) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.store = requireNonNull(store, "store");
        this.agents = Map.copyOf(agents);
        this.lanes = new SessionLanes(maxWaitingPerSession);
        this.stopper = new RunStopper(runtime, lanes, cancelWait);
        this.storePoll = storePoll;
        this.metrics = metrics;
        this.limits = requireNonNull(limits, "limits");
        this.intake = requireNonNull(intake, "intake");
        this.eventStreams = eventStreams;
        this.webhooks = webhooks;
    }

    /** The agents and teams served, by id. */
    public Map<String, Member> agents() {
        return agents;
    }

    /** The agent or team with this id, or 404. */
    public Member agent(String agentId) {
        Member agent = agents.get(agentId);
        if (agent == null) {
            throw ApiError.notFound("agent", agentId);
        }
        return agent;
    }

    /** The team with this id, or 404 (also for an agent's id). */
    public Team team(String teamId) {
        if (!(agents.get(teamId) instanceof Team team)) {
            throw ApiError.notFound("team", teamId);
        }
        return team;
    }

    /** The store, for reads a format renders itself (sessions, messages). */
    public SessionStore store() {
        return store;
    }

    /**
     * What to start.
     *
     * @param sessionId null for a new session
     * @param idempotencyKey null for none
     * @param history the conversation before {@code message} when the client brings it (chat-completions
     *     clients do); null for the session's stored messages
     */
    public record StartCommand(String message, String sessionId, DisconnectPolicy policy, Multitask multitask,
                               String idempotencyKey, List<ChatMessage> history) {
        public StartCommand {
            requireNonNull(message, "message");
            requireNonNull(policy, "policy");
            requireNonNull(multitask, "multitask");
        }

        /** A start whose history is the session's. */
        public StartCommand(String message, String sessionId, DisconnectPolicy policy, Multitask multitask,
                            String idempotencyKey) {
            this(message, sessionId, policy, multitask, idempotencyKey, null);
        }
    }

    /**
     * What a start did.
     *
     * @param run the run: the new one, or the one an earlier request with the same idempotency key started
     * @param repeated true if the idempotency key had been used: nothing new was started
     */
    public record Started(RunRef run, boolean repeated) {
    }

    /**
     * Starts a run of {@code agent} for {@code caller}, or returns the run an earlier request with
     * the same idempotency key started.
     *
     * @throws ApiError 404 for someone else's session, 409 for a busy session under {@code reject}
     *     or a session of another agent, 429 when too many runs wait in the session or the caller has
     *     as many runs going as a user may, 503 when this node has as many runs going as it may, shuts
     *     down, or cannot store runs
     */
    public Started start(Caller caller, Member agent, StartCommand command) {
        return start(caller, agent, command, null);
    }

    /**
     * {@link #start(Caller, Member, StartCommand)} for a background run whose final state is POSTed
     * to {@code webhook} (null for none); a refused start drops the delivery again.
     *
     * @throws ApiError 400 {@code webhooks_disabled} when no webhook secret is configured
     */
    public Started start(Caller caller, Member agent, StartCommand command, String webhook) {
        intake.checkOpen();
        if (webhook != null && webhooks == null) {
            throw ApiError.badRequest("webhooks_disabled", "webhook: this server has no AGENTSTREAM_WEBHOOK_SECRET"
                + " (expected: no webhook, or ask the operator to configure one)");
        }
        if (command.sessionId() != null) {
            checkSession(caller, agent, command.sessionId());
        }
        String runId = UUID.randomUUID().toString();
        if (command.idempotencyKey() != null) {
            Optional<String> earlier = store.claimIdempotencyKey(caller.userId(), command.idempotencyKey(), runId);
            if (earlier.isPresent()) {
                Optional<RunRef> existing = findOwned(caller, earlier.get());
                if (existing.isPresent()) {
                    return new Started(existing.get(), true);
                }
                // The first request with this key was refused before its run started: try again under its id.
                runId = earlier.get();
            }
        }
        // Checked before anything is held or stored: a refused start leaves nothing behind.
        RunLimits.Slot slot = limits.acquire(caller.userId());
        String sessionId = command.sessionId() != null ? command.sessionId() : UUID.randomUUID().toString();
        ServerRun run = new ServerRun(runId, sessionId, caller.userId(), agent.id(), command.policy());
        ServerRun raced = live.putIfAbsent(runId, run);
        if (raced != null) {
            slot.release();
            return new Started(new RunRef.Live(raced), true);
        }
        if (webhook != null) {
            registerWebhook(run, slot, webhook);
        }
        RunRequest request = new RunRequest(command.message(), sessionId, caller.userId(), runId, null,
            command.history());
        SessionLanes.Admission admission = lanes.admit(run, command.multitask(), r -> startNow(r, agent, request, slot));
        if (!(admission instanceof SessionLanes.Admission.Admitted)) {
            slot.release();
            if (webhook != null) {
                webhooks.forget(runId);
            }
        }
        if (admission instanceof SessionLanes.Admission.Admitted admitted) {
            admitted.toCancel().forEach(r -> stopper.cancelQuietly(r, RunCancelled.REASON_CANCELLED));
        }
        admission.toStart().forEach(start -> start.starter().accept(start.run()));
        return switch (admission) {
            case SessionLanes.Admission.Admitted admitted -> new Started(new RunRef.Live(run), false);
            case SessionLanes.Admission.Busy busy -> {
                live.remove(runId, run);
                throw ApiError.conflict("session_busy", "session " + sessionId + " has a running run "
                    + busy.activeRunId() + " (use multitask \"enqueue\" or \"interrupt\", or cancel it)");
            }
            case SessionLanes.Admission.QueueFull full -> {
                live.remove(runId, run);
                throw ApiError.of(429, "session_queue_full", "session " + sessionId + " has " + full.waiting()
                    + " runs waiting already (expected: fewer)");
            }
            case SessionLanes.Admission.Foreign foreign -> {
                live.remove(runId, run);
                throw ApiError.notFound("session", sessionId);
            }
        };
    }

    /**
     * Registers the run's webhook before it can start, so the stored end of the run, wherever it
     * happens, makes the delivery due; a failure to register refuses the start and holds nothing.
     */
    private void registerWebhook(ServerRun run, RunLimits.Slot slot, String webhook) {
        try {
            webhooks.register(run.runId(), webhook);
        } catch (RuntimeException e) {
            live.remove(run.runId(), run);
            slot.release();
            throw e;
        }
    }

    private void checkSession(Caller caller, Member agent, String sessionId) {
        Optional<StoredSession> session = store.findSession(sessionId);
        if (session.isEmpty()) {
            return;
        }
        if (!caller.owns(session.get().userId())) {
            throw ApiError.notFound("session", sessionId);
        }
        if (!agent.id().equals(session.get().agentId())) {
            throw ApiError.conflict("session_agent_mismatch", "session " + sessionId + " belongs to agent "
                + session.get().agentId() + " (expected: " + agent.id() + ")");
        }
    }

    /** Starts a run admitted to its lane; called outside the lane's lock. */
    private void startNow(ServerRun run, Member agent, RunRequest request, RunLimits.Slot slot) {
        RunHandle handle;
        try {
            handle = runtime.start(agent, request);
        } catch (RuntimeException e) {
            LOG.error("run {} of agent {} failed to start", run.runId(), agent.id(), e);
            slot.release();
            run.started().completeExceptionally(e);
            advanceLane(run.sessionId());
            return;
        }
        run.markStarted(handle);
        whenSegmentEnds(run, handle, slot);
    }

    private void whenSegmentEnds(ServerRun run, RunHandle handle, RunLimits.Slot slot) {
        CompletableFuture<RunOutput> segmentEnd = handle.segmentEnd();
        // Freed at once (only counters), so a client that saw the end can start its next run.
        segmentEnd.whenComplete((output, failure) -> slot.release());
        // Async: the segment's future completes under the run's emit lock, where starting another
        // run (which records) must not happen.
        segmentEnd.whenCompleteAsync((output, failure) -> advanceLane(run.sessionId()), laneExecutor);
    }

    private void advanceLane(String sessionId) {
        for (SessionLanes.Start start : lanes.advance(sessionId)) {
            start.starter().accept(start.run());
        }
    }

    /** The run with this id if the caller owns it; 404 otherwise (also for someone else's run). */
    public RunRef find(Caller caller, String runId) {
        return findOwned(caller, runId).orElseThrow(() -> ApiError.notFound("run", runId));
    }

    private Optional<RunRef> findOwned(Caller caller, String runId) {
        ServerRun run = live.get(runId);
        if (run != null && run.isFinal() && runtime.find(runId).isEmpty()) {
            // The runtime let the ended run go: its events are read from the store from now on.
            live.remove(runId, run);
            run = null;
        }
        if (run != null) {
            return caller.owns(run.userId()) ? Optional.of(new RunRef.Live(run)) : Optional.empty();
        }
        return store.findRun(runId).filter(stored -> caller.owns(stored.userId())).map(RunRef.Stored::new);
    }

    /** The live run with this id, if this server holds it. */
    public Optional<ServerRun> live(String runId) {
        return Optional.ofNullable(live.get(runId));
    }

    /** The session's run going now, if any (runs waiting their turn wait behind it). */
    public Optional<ServerRun> activeRun(String sessionId) {
        return lanes.active(sessionId);
    }

    /**
     * The run going now in a session of the caller's, if any; empty also for a session nobody has
     * used yet (a chat client asks before its first message).
     *
     * @throws ApiError 404 if the session is someone else's
     */
    public Optional<ServerRun> activeRun(Caller caller, String sessionId) {
        Optional<ServerRun> active = lanes.active(sessionId);
        boolean foreign = active.isPresent()
            ? !caller.owns(active.get().userId())
            : store.findSession(sessionId).filter(session -> !caller.owns(session.userId())).isPresent();
        if (foreign) {
            throw ApiError.notFound("session", sessionId);
        }
        return active;
    }

    /**
     * The run going now in a session of the caller's: on this node, or, when runs' events cross nodes
     * through Redis, the newest top-level run the store has RUNNING on another node (without Redis a
     * node knows only its own, as before).
     *
     * @throws ApiError 404 if the session is someone else's
     */
    public Optional<RunRef> goingRun(Caller caller, String sessionId) {
        Optional<ServerRun> here = activeRun(caller, sessionId);
        if (here.isPresent() || eventStreams == null) {
            return here.map(RunRef.Live::new);
        }
        return store.runs(sessionId).stream()
            .filter(run -> run.parentRunId() == null && run.status() == RunStatus.RUNNING && caller.owns(run.userId()))
            .reduce((older, newer) -> newer)
            .map(RunRef.Stored::new);
    }

    /** What a paused run waits for, one requirement per tool call; empty if the run is not paused. */
    public List<RunRequirement> requirements(RunRef ref) {
        return switch (ref) {
            case RunRef.Live live -> live.run().handle()
                .filter(handle -> handle.status() == RunStatus.PAUSED)
                .map(handle -> handle.output().requirements())
                .orElse(List.of());
            case RunRef.Stored stored -> store.pausedState(stored.runId()).map(PausedRun::requirements).orElse(List.of());
        };
    }

    /** The output of the run's first segment, waiting for it to end (a {@code stream: false} start). */
    public RunOutput awaitSegment(ServerRun run) throws InterruptedException {
        try {
            return run.started().get().segmentEnd().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + run.runId() + " failed", e.getCause());
        }
    }

    /**
     * What a cancel did.
     *
     * @param status the run's status when the answer was made: final if the run stopped within the
     *     wait, else as it was (the stop is under way)
     */
    public record Cancelled(String runId, RunStatus status) {
    }

    /**
     * Stops a run of the caller's. Idempotent: a run already stopped by a cancel answers with its
     * status again. A run paused before a restart (or on another node) is ended here from its stored
     * state, its paused members with it: stored CANCELLED, {@code RunCancelled} to its readers.
     *
     * @throws ApiError 404 if not the caller's, 409 if it completed or failed, or if it is paused for an
     *     agent this server does not serve
     */
    public Cancelled cancel(Caller caller, String runId) throws InterruptedException {
        RunRef ref = find(caller, runId);
        if (ref instanceof RunRef.Stored stored && stored.run().status() == RunStatus.PAUSED) {
            Optional<PausedRun> state = store.pausedState(runId);
            if (state.isPresent()) {
                RunHandle handle = runtime.cancelPaused(servedAgent(state.get()), state.get(), RunCancelled.REASON_CANCELLED);
                return new Cancelled(runId, handle.status());
            }
            // Continued or ended meanwhile: answer as for the run it is now.
            ref = find(caller, runId);
        }
        return stopper.cancel(ref);
    }

    /** The agent a stored paused run belongs to, or 409 if this server does not serve it. */
    private Member servedAgent(PausedRun state) {
        Member agent = agents.get(state.run().agentId());
        if (agent == null) {
            throw ApiError.conflict("agent_not_served", "run " + state.run().runId() + " belongs to agent "
                + state.run().agentId() + ", which this server does not serve");
        }
        return agent;
    }

    /** The last reader of a run with the {@code cancel} policy went away. Called by the SSE streamer. */
    public void cancelAbandoned(ServerRun run) {
        stopper.cancelAbandoned(run);
    }

    /** Ends the runs waiting their turn, before the runtime closes. Called once by the server's close. */
    public void cancelWaiting(String reason) {
        stopper.cancelWaiting(reason);
    }

    /**
     * What a continue started.
     *
     * @param afterSeq the seq of the {@code RunPaused} the new segment follows
     */
    public record Continued(ServerRun run, long afterSeq) {
    }

    /**
     * Continues a paused run of the caller's with a decision per pending tool call; a run paused
     * before a restart is resumed from the store.
     *
     * @param policy the disconnect policy for the new segment, or null to keep the run's
     * @throws ApiError 404 if not the caller's, 409 if not paused, 422 if the decisions do not fit,
     *     429 or 503 past the caps on runs going at once (the new segment is a run going again), 503
     *     while this node shuts down or cannot store runs
     */
    public Continued continueRun(Caller caller, String runId, List<ToolDecision> decisions, DisconnectPolicy policy) {
        RunRef ref = find(caller, runId);
        intake.checkOpen();
        RunLimits.Slot slot = limits.acquire(caller.userId());
        try {
            return continueHolding(slot, ref, runId, decisions, policy);
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
    }

    private Continued continueHolding(RunLimits.Slot slot, RunRef ref, String runId, List<ToolDecision> decisions,
                                      DisconnectPolicy policy) {
        Optional<RunHandle> inMemory = runtime.find(runId);
        long afterSeq;
        AgentRuntime.ContinueOutcome outcome;
        if (inMemory.isPresent()) {
            afterSeq = inMemory.get().log().lastSeq();
            outcome = runtime.continueRun(runId, decisions);
        } else {
            Optional<PausedRun> state = store.pausedState(runId);
            if (state.isEmpty()) {
                throw notPaused(runId, ref instanceof RunRef.Stored s ? s.run().status() : RunStatus.PENDING);
            }
            afterSeq = state.get().lastSeq();
            outcome = runtime.resume(servedAgent(state.get()), state.get(), decisions);
        }
        return switch (outcome) {
            case AgentRuntime.ContinueOutcome.NotFound notFound -> throw ApiError.notFound("run", runId);
            case AgentRuntime.ContinueOutcome.NotPaused notPaused -> throw notPaused(runId, notPaused.status());
            case AgentRuntime.ContinueOutcome.InvalidDecisions invalid -> throw ApiError.invalid(invalid.message());
            case AgentRuntime.ContinueOutcome.Continued continued -> {
                RunHandle handle = continued.handle();
                ServerRun run = live.computeIfAbsent(runId, id -> new ServerRun(id, handle.sessionId(),
                    handle.userId(), handle.agentId(), DisconnectPolicy.CANCEL));
                run.markStarted(handle);
                if (policy != null) {
                    run.policy(policy);
                }
                lanes.continued(run);
                whenSegmentEnds(run, handle, slot);
                yield new Continued(run, afterSeq);
            }
        };
    }

    private static ApiError notPaused(String runId, RunStatus status) {
        return ApiError.conflict("run_not_paused", "run " + runId + " is " + status + " (expected: PAUSED)");
    }

    /** A reader's feed of the run's events after {@code afterSeq}; the reader closes it. */
    public RunFeed feed(RunRef ref, long afterSeq, RunFeed.Mode mode) {
        ServerRun run = ref instanceof RunRef.Live l ? l.run() : null;
        StreamTail elsewhere = eventStreams == null ? null
            : new StreamTail(ref.runId(), eventStreams.reader(ref.runId()), store, metrics, storePoll);
        return new RunFeed(ref.runId(), run, afterSeq, mode, runtime, store, storePoll, metrics, elsewhere);
    }

    /**
     * Deletes a session of the caller's with its runs, messages and events; runs of it still held
     * in memory are forgotten, so their ids answer 404 like the rest.
     *
     * @throws ApiError 409 while a run is going in the session
     */
    public void deleteSession(String sessionId) {
        activeRun(sessionId).ifPresent(run -> {
            throw ApiError.conflict("session_busy", "session " + sessionId + " has a running run " + run.runId()
                + " (cancel it first)");
        });
        if (!store.deleteSession(sessionId)) {
            throw ApiError.notFound("session", sessionId);
        }
        live.values().removeIf(run -> run.sessionId().equals(sessionId) && (run.isFinal() || run.status() == RunStatus.PAUSED));
    }

    /** Forgets ended runs the runtime no longer keeps; their events are in the store. Housekeeping thread. */
    public void sweep() {
        Collection<ServerRun> runs = live.values();
        runs.removeIf(run -> run.isFinal() && runtime.find(run.runId()).isEmpty());
    }

    /** Ids of live runs, for shutdown logs and tests. */
    List<String> liveRunIds() {
        return List.copyOf(live.keySet());
    }

    @Override
    public void close() {
        ((java.util.concurrent.ExecutorService) laneExecutor).shutdown();
    }
}
