package dev.agentstream.server.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstream.server.http.ApiError;
import org.junit.jupiter.api.Test;

class RunLimitsTest {

    @Test
    void aReleasedSlotIsFreedOnceHoweverOftenItIsReleased() {
        RunLimits limits = new RunLimits(10, 2);
        RunLimits.Slot first = limits.acquire("alice");
        limits.acquire("alice");

        first.release();
        first.release();

        assertThat(limits.active()).isEqualTo(1);
        limits.acquire("alice");
        assertThatThrownBy(() -> limits.acquire("alice")).isInstanceOfSatisfying(ApiError.class,
            e -> assertThat(e.status()).isEqualTo(429));
    }

    @Test
    void aUserRefusedAtTheirCapDoesNotHoldANodeSlot() {
        RunLimits limits = new RunLimits(2, 1);
        limits.acquire("alice");

        assertThatThrownBy(() -> limits.acquire("alice")).isInstanceOf(ApiError.class);

        assertThat(limits.active()).isEqualTo(1);
        limits.acquire("bob");
        assertThatThrownBy(() -> limits.acquire("carol")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.retryAfter()).isPresent();
        });
    }
}
