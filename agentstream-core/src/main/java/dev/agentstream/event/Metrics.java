package dev.agentstream.event;

/**
 * What a run cost: tokens as the model reported them, and timings in seconds (Agno's units).
 *
 * @param timeToFirstToken seconds from the run's start to its first content or reasoning chunk; null if none came
 * @param duration seconds from the run's start to its end (all segments)
 */
public record Metrics(long inputTokens, long outputTokens, long totalTokens, Double timeToFirstToken, Double duration) {

    public static final Metrics EMPTY = new Metrics(0, 0, 0, null, null);
}
