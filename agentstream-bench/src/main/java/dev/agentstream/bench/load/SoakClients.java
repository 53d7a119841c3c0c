package dev.agentstream.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed number of clients, each on a virtual thread, taking turns through the mix of scenarios
 * (each client starts at a different place in it) until a deadline; a turn under way finishes.
 */
final class SoakClients {

    /** Two plain answers and two bad requests for every stop, disconnect, resume and pause/continue. */
    private static final SoakScenario[] MIX = {
        SoakScenario.STREAM, SoakScenario.BAD_REQUEST, SoakScenario.STOP, SoakScenario.RESUME,
        SoakScenario.STREAM, SoakScenario.DISCONNECT, SoakScenario.PAUSE_CONTINUE, SoakScenario.BAD_REQUEST,
    };
    private static final long EXCHANGE_MILLIS = 60_000;

    private final InetSocketAddress address;
    private final int clients;
    private final SoakTally tally;

    SoakClients(InetSocketAddress address, int clients, SoakTally tally) {
        this.address = address;
        this.clients = clients;
        this.tally = tally;
    }

    /** Runs the clients for {@code duration}; returns once every client finished its last turn. */
    void run(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            int first = i;
            SoakScenario.Client client = new SoakScenario.Client(address, tally, EXCHANGE_MILLIS, first);
            threads.add(Thread.ofVirtual().name("soak-client-" + i).start(() -> turns(client, first, end)));
        }
        for (Thread thread : threads) {
            // A turn is a few exchanges, each bounded by EXCHANGE_MILLIS.
            thread.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())).plusMillis(4 * EXCHANGE_MILLIS));
        }
    }

    private void turns(SoakScenario.Client client, int first, long end) {
        for (int turn = first; System.nanoTime() < end; turn++) {
            SoakScenario scenario = MIX[turn % MIX.length];
            try {
                scenario.run(client);
                tally.pass(scenario);
            } catch (Exception e) {
                tally.fail(scenario, e);
            }
        }
    }
}
