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
import dev.agentstream.store.StorageException;
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
    /** How often a run waiting for another node's run in its session checks whether it ended. */
    private static final Duration TURN_CHECK = Duration.ofMillis(100);
    /** How long a repeated request waits for the run its key started on another node to be stored. */
    private static final Duration STARTED_ELSEWHERE_WAIT = Duration.ofSeconds(5);

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
    private final Peers peers;
    private final SessionTurns turns;
    private final PausedHandover handover;
    private final RunIntake intake;
    /** Null without Redis: readers of runs executing elsewhere poll the store. */
    private final RunStreams eventStreams;
    private final WebhookDeliveries webhooks;

    /** @param webhooks where background runs' webhooks are registered, or null when webhooks are off */
    public RunService(AgentRuntime runtime, SessionStore store, Map<String, Member> agents, int maxWaitingPerSession,
               Duration cancelWait, Duration storePoll, ServerMetrics metrics, RunLimits limits, Peers peers,
               RunStreams eventStreams, WebhookDeliveries webhooks, RunIntake intake) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.store = requireNonNull(store, "store");
        this.agents = Map.copyOf(agents);
        this.lanes = new SessionLanes(maxWaitingPerSession);
        this.peers = requireNonNull(peers, "peers");
        this.handover = new PausedHandover(runtime, store, this.agents, peers);
        this.stopper = new RunStopper(runtime, lanes, cancelWait, peers);
        this.turns = new SessionTurns(store, runtime, peers, TURN_CHECK);
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
        String key = command.idempotencyKey();
        if (key != null) {
            Optional<String> earlier = store.claimIdempotencyKey(caller.userId(), key, runId);
            if (earlier.isPresent()) {
                Optional<RunRef> existing = findOwned(caller, earlier.get());
                if (existing.isEmpty() && peers.clustered()) {
                    existing = startedElsewhere(caller, earlier.get());
                }
                if (existing.isPresent()) {
                    return new Started(existing.get(), true);
                }
                // Claimed a moment ago on this node by a request not yet admitted: its run is found below.
                runId = earlier.get();
            }
        }
        try {
            return admit(caller, agent, command, runId, webhook);
        } catch (ApiError refused) {
            if (key != null) {
                // Refused before it started: a retry (on any node) starts afresh rather than find nothing.
                store.releaseIdempotencyKey(caller.userId(), key, runId);
            }
            throw refused;
        }
    }

    /**
     * The run an idempotency key names, started by another node: its row is stored as it starts,
     * so it shows up within moments.
     *
     * @throws ApiError 409 (retry later) if it does not: it waits its turn in a session there, or
     *     its request is still being refused
     */
    private Optional<RunRef> startedElsewhere(Caller caller, String runId) {
        long deadline = System.nanoTime() + STARTED_ELSEWHERE_WAIT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Optional<RunRef> found = findOwned(caller, runId);
                if (found.isPresent() || live.containsKey(runId)) {
                    return found;
                }
                Thread.sleep(TURN_CHECK.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw ApiError.retryLater(409, "idempotency_key_in_use", "a request with this idempotency key is still"
            + " being handled (run " + runId + " has not started yet); try again shortly", Peers.RETRY_AFTER);
    }

    private Started admit(Caller caller, Member agent, StartCommand command, String runId, String webhook) {
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
        SessionLanes.Admission admission = lanes.admit(run, command.multitask(),
            r -> startInTurn(r, agent, request, slot, command.multitask()));
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
            case SessionLanes.Admission.Admitted admitted -> {
                if (run.started().isCompletedExceptionally() && run.started().exceptionNow() instanceof ApiError refused) {
                    // Its webhook was forgotten as the start failed (see registerWebhook).
                    live.remove(runId, run);
                    throw refused;
                }
                yield new Started(new RunRef.Live(run), false);
            }
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
     * A run whose start fails later (refused after waiting its turn, its node closing meanwhile)
     * never gets a row to make the delivery due: its delivery is forgotten then.
     */
    private void registerWebhook(ServerRun run, RunLimits.Slot slot, String webhook) {
        try {
            webhooks.register(run.runId(), webhook);
        } catch (RuntimeException e) {
            live.remove(run.runId(), run);
            slot.release();
            throw e;
        }
        run.started().whenComplete((handle, failure) -> {
            if (failure != null) {
                forgetWebhook(run.runId());
            }
        });
    }

    /** Drops the delivery of a run that did not start; kept if the run was stored after all. */
    private void forgetWebhook(String runId) {
        try {
            webhooks.forget(runId);
        } catch (StorageException e) {
            // Harmless but left behind: without a run row the delivery never becomes due.
            LOG.warn("the webhook of run {}, which never started, could not be dropped: {}", runId, e.getMessage());
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

    /**
     * Starts a run admitted to its lane once it has its session's turn across nodes: at once when no
     * other node's run holds the session, else as {@code strategy} says. Called outside the lane's lock.
     */
    private void startInTurn(ServerRun run, Member agent, RunRequest request, RunLimits.Slot slot, Multitask strategy) {
        Optional<String> holder;
        boolean foreign;
        try {
            holder = turns.claim(run);
            foreign = holder.isPresent() && turns.heldByAnotherUser(run, holder.get());
        } catch (StorageException e) {
            refuse(run, slot, ApiError.retryLater(503, "storage_unavailable", "the database cannot tell whether session "
                + run.sessionId() + " is free now; try again shortly", Peers.RETRY_AFTER));
            return;
        }
        if (holder.isEmpty()) {
            startNow(run, agent, request, slot);
        } else if (foreign) {
            refuse(run, slot, ApiError.notFound("session", run.sessionId()));
        } else if (strategy == Multitask.REJECT) {
            refuse(run, slot, ApiError.conflict("session_busy", "session " + run.sessionId() + " has a running run"
                + " on another node (use multitask \"enqueue\" or \"interrupt\", or cancel it)"));
        } else if (strategy == Multitask.INTERRUPT && !peers.reachable()) {
            refuse(run, slot, ApiError.retryLater(503, "cluster_unavailable", "interrupting run " + holder.get()
                + " on another node needs Redis, which this node cannot reach now; try again shortly", Peers.RETRY_AFTER));
        } else {
            turns.awaitTurn(run, strategy, holder.get(), () -> startNow(run, agent, request, slot),
                () -> refuse(run, slot, ApiError.retryLater(503, "shutting_down", "this node stopped while run "
                    + run.runId() + " waited for its session's turn; start it again", Peers.RETRY_AFTER)));
        }
    }

    /** A run admitted here that may not start after all; the request that started it answers {@code why}. */
    private void refuse(ServerRun run, RunLimits.Slot slot, ApiError why) {
        slot.release();
        run.started().completeExceptionally(why);
        advanceLane(run.sessionId());
    }

    /** Starts a run that has its session's turn. */
    private void startNow(ServerRun run, Member agent, RunRequest request, RunLimits.Slot slot) {
        RunHandle handle;
        try {
            handle = runtime.start(agent, request);
        } catch (RuntimeException e) {
            LOG.error("run {} of agent {} failed to start", run.runId(), agent.id(), e);
            turns.release(run);
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
        if (run != null && run.status() == RunStatus.PAUSED && handover.takenOverElsewhere(runId)) {
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
     *     agent this server does not serve, 503 if another node executes or holds it and Redis is away
     */
    public Cancelled cancel(Caller caller, String runId) throws InterruptedException {
        RunRef ref = find(caller, runId);
        if (ref instanceof RunRef.Stored stored && stored.run().status() == RunStatus.PAUSED) {
            Optional<Cancelled> ended = handover.cancel(stored.run());
            if (ended.isPresent()) {
                return ended.get();
            }
            // Continued or ended meanwhile: answer as for the run it is now.
            ref = find(caller, runId);
        }
        return stopper.cancel(ref);
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
        Optional<PausedRun> state = Optional.empty();
        Member agent = null;
        if (inMemory.isPresent()) {
            afterSeq = inMemory.get().log().lastSeq();
        } else {
            state = store.pausedState(runId);
            if (state.isEmpty()) {
                throw notPaused(runId, ref instanceof RunRef.Stored s ? s.run().status() : RunStatus.PENDING);
            }
            agent = handover.servedAgent(state.get());
            afterSeq = state.get().lastSeq();
        }
        boolean claimed = handover.claimToContinue(ref);
        AgentRuntime.ContinueOutcome outcome = null;
        try {
            outcome = inMemory.isPresent() ? runtime.continueRun(runId, decisions)
                : runtime.resume(agent, state.get(), decisions);
        } finally {
            if (claimed && !(outcome instanceof AgentRuntime.ContinueOutcome.Continued)) {
                // Not continued here after all (the decisions did not fit): it stays paused for anyone.
                handover.release(runId);
            }
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

    static ApiError notPaused(String runId, RunStatus status) {
        return ApiError.conflict("run_not_paused", "run " + runId + " is " + status + " (expected: PAUSED)");
    }

    /** A reader's feed of the run's events after {@code afterSeq}; the reader closes it. */
    public RunFeed feed(RunRef ref, long afterSeq, RunFeed.Mode mode) {
        if (ref instanceof RunRef.Stored stored && stored.run().status() == RunStatus.RUNNING
            && peers.ownedElsewhere(stored.run())) {
            peers.requireReachable("following run " + ref.runId() + ", which node " + stored.run().ownerNode()
                + " executes,");
        }
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
        turns.close();
        ((java.util.concurrent.ExecutorService) laneExecutor).shutdown();
    }
}
