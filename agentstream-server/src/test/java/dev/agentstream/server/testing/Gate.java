package dev.agentstream.server.testing;

import dev.langchain4j.agent.tool.Tool;
import java.util.concurrent.CountDownLatch;

/** A tool, {@code gate}, that stays silent until the test opens it (or a cancel interrupts it). */
public final class Gate {

    private final CountDownLatch open = new CountDownLatch(1);

    @Tool(name = "gate", value = "Waits until the gate opens")
    public String gate() throws InterruptedException {
        open.await();
        return "open";
    }

    public void open() {
        open.countDown();
    }
}
