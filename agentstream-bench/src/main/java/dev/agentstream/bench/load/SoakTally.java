package dev.agentstream.bench.load;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the soak clients did: scenarios passed and failed, runs they saw start, the first failures. */
final class SoakTally {

    private static final int KEPT_FAILURES = 20;

    private final Map<SoakScenario, LongAdder> passed = new EnumMap<>(SoakScenario.class);
    private final Map<SoakScenario, LongAdder> failed = new EnumMap<>(SoakScenario.class);
    private final LongAdder runsStarted = new LongAdder();
    private final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger keptFailures = new AtomicInteger();

    SoakTally() {
        for (SoakScenario scenario : SoakScenario.values()) {
            passed.put(scenario, new LongAdder());
            failed.put(scenario, new LongAdder());
        }
    }

    /** A {@code RunStarted} event reached a client: the server began a run, which it must store. */
    void runStarted() {
        runsStarted.increment();
    }

    void pass(SoakScenario scenario) {
        passed.get(scenario).increment();
    }

    void fail(SoakScenario scenario, Exception e) {
        failed.get(scenario).increment();
        if (keptFailures.getAndIncrement() < KEPT_FAILURES) {
            firstFailures.add(scenario.label() + ": " + (e instanceof SoakFailure ? e.getMessage() : e.toString()));
        }
    }

    long runsStarted() {
        return runsStarted.sum();
    }

    long passed(SoakScenario scenario) {
        return passed.get(scenario).sum();
    }

    long failed(SoakScenario scenario) {
        return failed.get(scenario).sum();
    }

    long failedTotal() {
        return failed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    List<String> firstFailures() {
        return List.copyOf(firstFailures);
    }
}
