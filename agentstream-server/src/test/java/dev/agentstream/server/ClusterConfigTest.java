package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    @Test
    void withoutRedisANodeWorksAloneUnderAStableNameOfHostAndPort() {
        ClusterConfig config = ClusterConfig.fromEnv(Map.of(), 7777);

        assertThat(config.redisEnabled()).isFalse();
        assertThat(config.nodeId()).endsWith("-7777").isEqualTo(ClusterConfig.fromEnv(Map.of(), 7777).nodeId());
        assertThat(config.nodeId()).doesNotContain(String.valueOf(ProcessHandle.current().pid()));
        assertThat(config.nodeTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.eventsRetention()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theEventStreamsRetentionIsADurationWithItsUnit() {
        for (var written : Map.of("1500ms", Duration.ofMillis(1500), "30s", Duration.ofSeconds(30),
                "2m", Duration.ofMinutes(2), "1h", Duration.ofHours(1)).entrySet()) {
            assertThat(ClusterConfig.fromEnv(Map.of("AGENTSTREAM_EVENTS_RETENTION", written.getKey()), 1).eventsRetention())
                .isEqualTo(written.getValue());
        }
        for (String wrong : new String[] {"10", "5 minutes", "-1s", "500ms", "8d", "9999h"}) {
            assertThatThrownBy(() -> ClusterConfig.fromEnv(Map.of("AGENTSTREAM_EVENTS_RETENTION", wrong), 1))
                .as(wrong).hasMessageStartingWith("AGENTSTREAM_EVENTS_RETENTION: ").hasMessageContaining("1s to");
        }
    }

    @Test
    void theVariablesNameTheNodeAndItsRedis() {
        ClusterConfig config = ClusterConfig.fromEnv(Map.of("AGENTSTREAM_REDIS", "redis://u:secret@10.0.0.5:6379",
            "AGENTSTREAM_NODE_ID", "eu-1", "AGENTSTREAM_NODE_TTL_MS", "2000"), 7777);

        assertThat(config.redisEnabled()).isTrue();
        assertThat(config.nodeId()).isEqualTo("eu-1");
        assertThat(config.nodeTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.toString()).doesNotContain("secret");
    }

    @Test
    void aWrongValueIsRefusedWithTheVariablesNameAndNoSecret() {
        assertThatThrownBy(() -> ClusterConfig.fromEnv(Map.of("AGENTSTREAM_REDIS", "http://u:secret@h"), 1))
            .hasMessageStartingWith("AGENTSTREAM_REDIS:").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ClusterConfig.fromEnv(Map.of("AGENTSTREAM_NODE_ID", "a b"), 1))
            .hasMessageStartingWith("AGENTSTREAM_NODE_ID:");
        assertThatThrownBy(() -> ClusterConfig.fromEnv(Map.of("AGENTSTREAM_NODE_TTL_MS", "10"), 1))
            .hasMessageStartingWith("AGENTSTREAM_NODE_TTL_MS:");
    }
}
