package dev.agentstream.server;

import java.time.Duration;
import java.util.Map;

/**
 * {@code AGENTSTREAM_RUN_RETENTION}: how long an ended run stays in this node's memory (its handle,
 * answer and tools, for lookups, stops and reconnects by id) before only the store has it. Each
 * ended run holds a few KiB until then, so the memory this takes is the run rate times the window.
 * Written {@code 30s}, {@code 10m}, {@code 1h}; default 10 minutes.
 */
final class RunRetentionConfig {

    static final String VARIABLE = "AGENTSTREAM_RUN_RETENTION";
    static final Duration DEFAULT = Duration.ofMinutes(10);
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofHours(24);

    private RunRetentionConfig() {
    }

    /**
     * The retention {@code env} asks for.
     *
     * @throws IllegalArgumentException naming the variable when its value is not a duration from 1s to 24h
     */
    static Duration fromEnv(Map<String, String> env) {
        return DurationSetting.read(env, VARIABLE, DEFAULT, MIN, MAX);
    }
}
