package dev.agentstream.server.run;

import dev.agentstream.store.StoredRun;

/** A run the caller may see: live in this server, or known only from the store. */
public sealed interface RunRef {

    String runId();

    /** Accepted by this server and still held in memory (pending, running, paused or recently ended). */
    record Live(ServerRun run) implements RunRef {
        @Override
        public String runId() {
            return run.runId();
        }
    }

    /** Only in the store: ended long ago, paused before a restart, or running on another node. */
    record Stored(StoredRun run) implements RunRef {
        @Override
        public String runId() {
            return run.runId();
        }
    }
}
