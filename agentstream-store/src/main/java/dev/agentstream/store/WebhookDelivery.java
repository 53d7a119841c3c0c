package dev.agentstream.store;

import java.time.Instant;

/**
 * One webhook delivery as stored.
 *
 * @param status {@code pending}, {@code delivered} or {@code failed} (gave up after the last attempt)
 * @param claimedBy the node delivering it now, or null
 * @param lastError why the last attempt failed, or null
 */
public record WebhookDelivery(String deliveryId, String runId, String url, String status, int attempts,
                              Instant nextAttemptAt, String claimedBy, String lastError, Instant deliveredAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
}
