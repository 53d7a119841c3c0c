package dev.agentstream;

import dev.agentstream.run.RunEventLog;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The numbering and the log one stream shares: a run's, or a team run's together with all its
 * member runs, so the whole stream has one gapless seq.
 *
 * <p>Thread contract: {@link #lock} guards {@link #nextSeq}; every emitter of the stream takes it
 * for the whole of numbering, observing and appending one event.
 */
final class EventSequence {

    final ReentrantLock lock = new ReentrantLock();
    final RunEventLog log;
    long nextSeq;

    EventSequence(RunEventLog log) {
        this.log = log;
        this.nextSeq = log.lastSeq() + 1;
    }
}
