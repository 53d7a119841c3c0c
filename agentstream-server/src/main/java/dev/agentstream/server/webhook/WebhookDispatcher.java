package dev.agentstream.server.webhook;

import dev.agentstream.store.WebhookDeliveries;
import dev.agentstream.store.WebhookDelivery;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's delivery worker: every poll it claims as many due deliveries as it has free slots
 * (at most {@link WebhookConfig#concurrency()} in flight), POSTs each on a virtual thread, and
 * records the outcome: delivered, tried again after an exponential backoff, or given up after the
 * last attempt. Deliveries whose run ended on another node, or whose claiming node died, are
 * found the same way. Thread-safe; {@link #close()} stops it (claims in flight lapse with their lease).
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookDeliveries deliveries;
    private final WebhookPayload payload;
    private final WebhookSender sender;
    private final WebhookConfig config;
    private final Semaphore slots;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
        Thread.ofVirtual().name("agentstream-webhook-poll").factory());
    private final ExecutorService attempts = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("agentstream-webhook-", 0).factory());

    public WebhookDispatcher(WebhookDeliveries deliveries, dev.agentstream.store.SessionStore store,
                             Predicate<String> isTeam, WebhookConfig config) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("webhooks are off: no secret");
        }
        this.deliveries = deliveries;
        this.payload = new WebhookPayload(store, isTeam);
        this.sender = new WebhookSender(new WebhookSignature(config.secret()), config.timeout());
        this.config = config;
        this.slots = new Semaphore(config.concurrency());
    }

    /** Starts polling. */
    public WebhookDispatcher start() {
        long every = config.poll().toMillis();
        poller.scheduleWithFixedDelay(this::pollQuietly, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("looking for due webhooks failed; will try again: {}", e.getMessage());
        }
    }

    private void poll() {
        int free = slots.availablePermits();
        if (free == 0) {
            return;
        }
        List<WebhookDelivery> claimed = deliveries.claimDue(config.claimLease(), free);
        for (WebhookDelivery delivery : claimed) {
            slots.acquireUninterruptibly();
            attempts.execute(() -> {
                try {
                    attempt(delivery);
                } catch (RuntimeException e) {
                    LOG.warn("webhook delivery {} of run {}: recording the attempt failed: {}", delivery.deliveryId(),
                        delivery.runId(), e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    slots.release();
                }
            });
        }
    }

    private void attempt(WebhookDelivery delivery) throws InterruptedException {
        var body = payload.build(delivery.deliveryId(), delivery.runId());
        if (body.isEmpty()) {
            deliveries.attemptFailed(delivery.deliveryId(), "the run was deleted", null);
            return;
        }
        WebhookSender.Outcome outcome = sender.post(delivery.url(), delivery.deliveryId(), body.get());
        if (outcome.delivered()) {
            if (!deliveries.delivered(delivery.deliveryId())) {
                LOG.info("webhook delivery {} of run {} arrived after another node took it over",
                    delivery.deliveryId(), delivery.runId());
            }
            return;
        }
        int made = delivery.attempts() + 1;
        Instant next = made >= config.maxAttempts() ? null : Instant.now().plus(config.backoffAfter(made));
        // The URL and the error only: never the secret or the signature.
        LOG.warn("webhook delivery {} of run {} to {}: attempt {} of {} failed: {}{}", delivery.deliveryId(),
            delivery.runId(), delivery.url(), made, config.maxAttempts(), outcome.error(),
            next == null ? "; giving up" : "; next at " + next);
        deliveries.attemptFailed(delivery.deliveryId(), outcome.error(), next);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        attempts.shutdownNow();
    }
}
