package dev.agentstream.store;

import dev.langchain4j.agent.tool.Tool;
import java.util.concurrent.CountDownLatch;

/** Tools for test agents. Thread-safe. */
public final class TestTools {

    /** Counted down when {@code slow} starts; {@code slow} then waits for {@link #release}. */
    final CountDownLatch slowStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Tool("The weather in a city")
    public String weather(String city) {
        return "Sunny in " + city;
    }

    @Tool("Always fails")
    public String explode() {
        throw new IllegalStateException("the tool exploded");
    }

    @Tool("Takes its time")
    public String slow() throws InterruptedException {
        slowStarted.countDown();
        release.await();
        return "done slowly";
    }

    @Tool("Sends an email")
    public String sendEmail(String to) {
        return "sent to " + to;
    }
}
