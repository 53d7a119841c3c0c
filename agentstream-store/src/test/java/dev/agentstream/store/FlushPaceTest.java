package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The flush interval stretches while flushes are slow, within bounds, and comes back once they are quick. */
class FlushPaceTest {

    private static final long MS = 1_000_000;

    private final FlushPace pace = new FlushPace(200 * MS, 1000 * MS);

    @Test
    void quickFlushesKeepTheConfiguredInterval() {
        flushes(100, 40);
        assertThat(pace.intervalNanos()).isEqualTo(200 * MS);
    }

    @Test
    void oneSlowFlushDoesNotStretchIt() {
        pace.flushed(180 * MS);
        assertThat(pace.intervalNanos()).isEqualTo(200 * MS);
    }

    @Test
    void flushesSlowerThanAQuarterOfTheIntervalStretchItToFourTimesTheirLength() {
        flushes(50, 100);
        assertThat(pace.intervalNanos()).isBetween(390 * MS, 400 * MS);
    }

    @Test
    void itStretchesNoFurtherThanTheMaximum() {
        flushes(50, 2000);
        assertThat(pace.intervalNanos()).isEqualTo(1000 * MS);
    }

    @Test
    void itComesBackToTheConfiguredIntervalOnceFlushesAreQuickAgain() {
        flushes(50, 2000);
        long previous = pace.intervalNanos();
        for (int i = 0; i < 30; i++) {
            pace.flushed(5 * MS);
            assertThat(pace.intervalNanos()).isLessThanOrEqualTo(previous);
            previous = pace.intervalNanos();
        }
        assertThat(pace.intervalNanos()).isEqualTo(200 * MS);
    }

    @Test
    void betweenAnEighthAndAQuarterOfTheIntervalItHolds() {
        flushes(50, 100);
        long stretched = pace.intervalNanos();
        flushes(50, 70);
        assertThat(pace.intervalNanos()).isEqualTo(stretched);
    }

    @Test
    void aMaximumBelowTheIntervalIsRefused() {
        assertThatThrownBy(() -> new FlushPace(200 * MS, 100 * MS)).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code count} timed flushes of {@code millis} each. */
    private void flushes(int count, long millis) {
        for (int i = 0; i < count; i++) {
            pace.flushed(millis * MS);
        }
    }
}
