package dev.agentstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a failed model call is tried again, and after how long: only when the model's server
 * answered a status that says "later" (429, 500, 502, 503, 504) before the model sent any output,
 * since a retry after output would show that text twice. The wait is the server's
 * {@code Retry-After} when it sent one (seconds or an HTTP date), else an exponential backoff with
 * jitter; either is capped so that a run never hangs on a server's whim.
 *
 * <p>Thread contract: immutable.
 */
final class UpstreamRetry {

    static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);
    /** The longest wait before a retry, whatever the server asked for. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    private final int retries;
    private final Clock clock;

    UpstreamRetry(int retries, Clock clock) {
        this.retries = retries;
        this.clock = clock;
    }

    int retries() {
        return retries;
    }

    /**
     * The wait before retry number {@code retry} (1 for the first) of a call that failed with
     * {@code error}, or empty when the call must not be retried.
     */
    Optional<Duration> waitBefore(int retry, Throwable error, boolean outputSeen) {
        OptionalInt status = ModelFailure.status(error);
        if (outputSeen || retry > retries || status.isEmpty() || !RETRYABLE.contains(status.getAsInt())) {
            return Optional.empty();
        }
        Duration wait = ModelFailure.retryAfter(error)
            .flatMap(value -> retryAfter(value, clock.instant()))
            .orElseGet(() -> backoff(retry));
        return Optional.of(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
    }

    /** A {@code Retry-After} value: delay-seconds or an HTTP date; empty when it is neither. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String text = value.strip();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            // Huge values are capped by the caller; too many digits for a long are "very long".
            return Optional.of(text.length() > 9 ? MAX_WAIT : Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(now, at);
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** 0.5 s, 1 s, 2 s, … plus up to a quarter more, so that many runs hit by one outage do not retry in step. */
    static Duration backoff(int retry) {
        long base = FIRST_BACKOFF.toMillis() << Math.min(retry - 1, 10);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 4 + 1));
    }
}
