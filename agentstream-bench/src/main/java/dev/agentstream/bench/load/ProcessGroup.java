package dev.agentstream.bench.load;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** The target's processes (one per node), read as one: CPU, threads and heap are their sums. */
final class ProcessGroup {

    private final List<ProcessProbe> probes;

    private ProcessGroup(List<ProcessProbe> probes) {
        this.probes = probes;
    }

    /** {@code --pid} is one process id or several, comma-separated; null when none is given. */
    static ProcessGroup parse(String pids, int clockTicksPerSecond) {
        if (pids == null || pids.isBlank()) {
            return null;
        }
        return new ProcessGroup(Arrays.stream(pids.split(",")).map(String::trim)
            .map(pid -> new ProcessProbe(Long.parseLong(pid), clockTicksPerSecond)).toList());
    }

    long cpuMicros() throws IOException {
        long sum = 0;
        for (ProcessProbe probe : probes) {
            sum += probe.cpuMicros();
        }
        return sum;
    }

    int threads() throws IOException {
        int sum = 0;
        for (ProcessProbe probe : probes) {
            sum += probe.threads();
        }
        return sum;
    }

    /** Used heap after a full GC, summed; -1 when any process could not tell. */
    long usedHeapKbAfterGc() {
        long sum = 0;
        for (ProcessProbe probe : probes) {
            long used = probe.usedHeapKbAfterGc();
            if (used < 0) {
                return -1;
            }
            sum += used;
        }
        return sum;
    }
}
