package dev.agentstream.store;

import java.time.Duration;

/**
 * Whether the store's writes reach the database now. A snapshot.
 *
 * @param writing false while writes fail (they are retried; runs' rows stay buffered meanwhile)
 * @param unavailableFor how long writes have not reached the database (the failing attempts and
 *     the one waiting now); zero while they work
 * @param unwrittenBytes roughly how much memory the events not yet written take, over all live runs
 */
public record StorageHealth(boolean writing, Duration unavailableFor, long unwrittenBytes) {
}
