package dev.agentstream;

import dev.agentstream.event.RunEvent;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@link Flow.Subscription} over a run's log: a virtual thread reads the log from its own
 * position and delivers events as demand allows, until the segment's terminal event. A subscriber
 * that fell behind the log's retention gets the dropped events from the store, or {@code onError}
 * with an {@link dev.agentstream.run.EventsLostException} naming the gap; never a silent skip.
 *
 * <p>Thread contract: {@code request} and {@code cancel} may be called from any thread (also from
 * inside {@code onNext}); the subscriber's methods are called from the delivery thread only.
 */
final class LogSubscription implements Flow.Subscription {

    private final LogReader reader;
    private final Flow.Subscriber<? super RunEvent> subscriber;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demandChanged = lock.newCondition();
    private long demand;
    private boolean cancelled;

    LogSubscription(LogReader reader, Flow.Subscriber<? super RunEvent> subscriber) {
        this.reader = reader;
        this.subscriber = subscriber;
    }

    void start() {
        Thread.ofVirtual().name("run-subscriber").start(this::deliver);
    }

    @Override
    public void request(long n) {
        lock.lock();
        try {
            if (n <= 0) {
                cancelled = true;
            } else {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            }
            demandChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel() {
        lock.lock();
        try {
            cancelled = true;
            demandChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void deliver() {
        subscriber.onSubscribe(this);
        try {
            while (awaitDemand()) {
                LogReader.Read batch = reader.next(Duration.ofSeconds(1));
                for (RunEvent event : batch.events()) {
                    if (!takeOne()) {
                        return;
                    }
                    reader.delivered(event);
                    subscriber.onNext(event);
                    if (event.isTerminal()) {
                        subscriber.onComplete();
                        return;
                    }
                }
                if (batch.closed() && batch.events().isEmpty()) {
                    subscriber.onComplete();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            subscriber.onError(e);
        }
    }

    private boolean awaitDemand() throws InterruptedException {
        lock.lock();
        try {
            while (demand == 0 && !cancelled) {
                demandChanged.await();
            }
            return !cancelled;
        } finally {
            lock.unlock();
        }
    }

    private boolean takeOne() throws InterruptedException {
        if (!awaitDemand()) {
            return false;
        }
        lock.lock();
        try {
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
