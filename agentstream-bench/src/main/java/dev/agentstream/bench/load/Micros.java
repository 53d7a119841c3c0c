package dev.agentstream.bench.load;

import java.time.Instant;

/** Wall-clock time in epoch microseconds: comparable across the processes of one machine. */
final class Micros {

    private Micros() {
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
