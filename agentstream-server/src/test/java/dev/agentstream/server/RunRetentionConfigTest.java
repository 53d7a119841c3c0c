package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRetentionConfigTest {

    @Test
    void tenMinutesUnlessSet() {
        assertThat(RunRetentionConfig.fromEnv(Map.of())).isEqualTo(Duration.ofMinutes(10));
        assertThat(RunRetentionConfig.fromEnv(Map.of("AGENTSTREAM_RUN_RETENTION", " "))).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void readsDurationsWrittenWithTheirUnit() {
        assertThat(RunRetentionConfig.fromEnv(Map.of("AGENTSTREAM_RUN_RETENTION", "1500ms"))).isEqualTo(Duration.ofMillis(1500));
        assertThat(RunRetentionConfig.fromEnv(Map.of("AGENTSTREAM_RUN_RETENTION", "30s"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(RunRetentionConfig.fromEnv(Map.of("AGENTSTREAM_RUN_RETENTION", "2m"))).isEqualTo(Duration.ofMinutes(2));
        assertThat(RunRetentionConfig.fromEnv(Map.of("AGENTSTREAM_RUN_RETENTION", "1h"))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aValueWithoutUnitOrOutOfRangeIsRefusedNamingTheVariable() {
        for (String wrong : new String[] {"600", "10 m", "-1s", "500ms", "25h", "ten minutes"}) {
            assertThatThrownBy(() -> RunRetentionConfig.fromEnv(Map.of("AGENTSTREAM_RUN_RETENTION", wrong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("AGENTSTREAM_RUN_RETENTION: ")
                .hasMessageContaining("from 1s to 24h");
        }
    }
}
