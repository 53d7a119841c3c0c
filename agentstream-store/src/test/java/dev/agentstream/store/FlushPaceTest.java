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
        for (int i = 0; i < 100; i++) {
            pace.flushed(40 * MS);
        }
        assertThat(pace.intervalNanos()).isEqualTo(200 * MS);
    }

    @Test
    void oneSlowFlushDoesNotStretchIt() {
        pace.flushed(180 * MS);
        assertThat(pace.intervalNanos()).isEqualTo(200 * MS);
    }

    @Test
    void flushesSlowerThanAQuarterOfTheIntervalStretchItToFourTimesTheirLength() {
        for (int i = 0; i < 50; i++) {
            pace.flushed(100 * MS);
        }
        assertThat(pace.intervalNanos()).isBetween(390 * MS, 400 * MS);
    }

    @Test
    void itStretchesNoFurtherThanTheMaximum() {
        for (int i = 0; i < 50; i++) {
            pace.flushed(2000 * MS);
        }
        assertThat(pace.intervalNanos()).isEqualTo(1000 * MS);
    }

    @Test
    void itComesBackToTheConfiguredIntervalOnceFlushesAreQuickAgain() {
        for (int i = 0; i < 50; i++) {
            pace.flushed(2000 * MS);
        }
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
        for (int i = 0; i < 50; i++) {
            pace.flushed(100 * MS);
        }
        long stretched = pace.intervalNanos();
        for (int i = 0; i < 50; i++) {
            pace.flushed(70 * MS);
        }
        assertThat(pace.intervalNanos()).isEqualTo(stretched);
    }

    @Test
    void aMaximumBelowTheIntervalIsRefused() {
        assertThatThrownBy(() -> new FlushPace(200 * MS, 100 * MS)).isInstanceOf(IllegalArgumentException.class);
    }
}
