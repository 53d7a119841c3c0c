package dev.agentstream;

import dev.agentstream.event.RunEvent;
import dev.agentstream.run.FaultKind;
import dev.agentstream.run.RunInfo;
import dev.agentstream.run.RunObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An observer that keeps the faults and upstream retries runs report, for tests to check. */
final class FaultCounter implements RunObserver {

    final List<FaultKind> faults = new CopyOnWriteArrayList<>();
    /** The HTTP status of each retry. */
    final List<Integer> retries = new CopyOnWriteArrayList<>();
    /** The wait before each retry. */
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(RunInfo run, RunEvent event) {
    }

    @Override
    public void onFault(RunInfo run, FaultKind kind) {
        faults.add(kind);
    }

    @Override
    public void onUpstreamRetry(RunInfo run, int status, Duration delay) {
        retries.add(status);
        waits.add(delay);
    }
}
