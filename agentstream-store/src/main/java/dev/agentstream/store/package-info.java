/**
 * Incremental storage of sessions, runs, messages and run events in SQLite (embedded, one file in
 * WAL mode) or PostgreSQL, written while runs stream.
 *
 * <p>Start with {@link dev.agentstream.store.Storage}: it opens the database (Flyway migrations, one
 * schema for both databases), hands out the {@link dev.agentstream.store.SessionStore} to read and
 * the {@link dev.agentstream.store.Recorder} to register with the runtime, and recovers runs whose
 * node died.
 *
 * <p>How a run is written:
 * <ul>
 *   <li>the recorder keeps a buffer per live run ({@code LiveRun}); a run's start, continue and end
 *       wait for their commit, every other event only lands in the buffer;</li>
 *   <li>one writer thread per process ({@code Writer}) group-commits the buffers of all runs every
 *       flush interval, and at once for the runs a producer waits for: one JDBC batch per kind of
 *       statement ({@code Write}) in one transaction ({@code GroupCommit});</li>
 *   <li>content deltas share a {@code run_events} row per flush ({@code EventRows}), so a run costs
 *       statements per flush and per tool call, not per token; that row is the only place a delta
 *       is written while the answer streams: the assistant message gets its whole text once, when
 *       its segment ends, and reads of a message still streaming join the deltas flushed since
 *       ({@code FlushedAnswer});</li>
 *   <li>the flush interval stretches (up to a maximum, 1 s by default) while flushes of all live
 *       runs take more than a quarter of it ({@code FlushPace}), so the writer's work stays bounded
 *       as live runs grow, at the price of stored answers lagging further behind the stream;</li>
 *   <li>when the database is away, nothing is dropped: a failed group commit leaves every run's rows
 *       in its buffer and the next flush retries them (inserts are idempotent, so a commit whose
 *       answer was lost is simply written again); while writes fail, continues and ends stop waiting
 *       for their commit ({@code WriteOutage}), and {@link dev.agentstream.store.Storage#health()}
 *       and {@link dev.agentstream.store.Storage#unwrittenBytes(String)} tell the server how long
 *       and how much, so that it can bound both;</li>
 *   <li>each running run holds a lease, renewed by its writer; a run whose lease expired is ended
 *       as INTERRUPTED by any node ({@code LeaseRecovery}), and its former node, fenced by
 *       ownership checks, writes nothing more for it.</li>
 * </ul>
 *
 * <p>Everything but the public types named above and their records is internal to this package.
 */
package dev.agentstream.store;
