package dev.agentstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The requests a server received, in arrival order; thread-safe, and awaitable by position. */
final class RequestLog {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final List<RecordedRequest> requests = new ArrayList<>();

    RecordedRequest record(JsonNode body) {
        lock.lock();
        try {
            RecordedRequest request = new RecordedRequest(requests.size(), body);
            requests.add(request);
            added.signalAll();
            return request;
        } finally {
            lock.unlock();
        }
    }

    List<RecordedRequest> snapshot() {
        lock.lock();
        try {
            return List.copyOf(requests);
        } finally {
            lock.unlock();
        }
    }

    RecordedRequest await(int index, Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (requests.size() <= index) {
                if (remaining <= 0) {
                    throw new IllegalStateException("request #" + index + " did not arrive within " + timeout
                            + "; received " + requests.size() + " request(s)");
                }
                remaining = added.awaitNanos(remaining);
            }
            return requests.get(index);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while awaiting request #" + index, e);
        } finally {
            lock.unlock();
        }
    }
}
