package dev.agentstream.store;

import dev.agentstream.Member;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One agentstream process as the server builds it: a {@link Storage} and an {@link AgentRuntime}
 * with the storage's recorder as observer and history provider, and its store to replay from. Closing closes the runtime, then
 * the storage.
 */
final class Node implements AutoCloseable {

    final Storage storage;
    final AgentRuntime runtime;

    private Node(Storage storage, UnaryOperator<AgentRuntime.Builder> runtimeOptions) {
        this.storage = storage;
        this.runtime = runtimeOptions.apply(AgentRuntime.builder().observer(storage.recorder()).history(storage.recorder())
            .replay(storage.store()))
            .build();
    }

    static Node open(TestDatabase database) {
        return open(database, b -> b);
    }

    static Node open(TestDatabase database, UnaryOperator<StorageOptions.Builder> options) {
        return open(database, options, b -> b);
    }

    /** A node whose runtime is configured further by {@code runtimeOptions}. */
    static Node open(TestDatabase database, UnaryOperator<StorageOptions.Builder> options,
                     UnaryOperator<AgentRuntime.Builder> runtimeOptions) {
        return new Node(Storage.open(options.apply(database.options()).build()), runtimeOptions);
    }

    SessionStore store() {
        return storage.store();
    }

    /** The stored answer of the session's first run, or "" before its start is stored. */
    String storedAnswer(String sessionId) {
        List<StoredMessage> messages = store().messages(sessionId);
        return messages.size() < 2 ? "" : messages.get(1).content();
    }

    /** Starts a run and waits for the end of its first segment. */
    RunOutput run(Member agent, RunRequest request) throws Exception {
        return runtime.start(agent, request).segmentEnd().get(20, TimeUnit.SECONDS);
    }

    /** Every event a reader of the handle sees, up to the end of the current segment. */
    static List<RunEvent> events(RunHandle handle, long afterSeq) {
        try (var events = handle.events(afterSeq)) {
            return events.toList();
        }
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            storage.close();
        }
    }
}
