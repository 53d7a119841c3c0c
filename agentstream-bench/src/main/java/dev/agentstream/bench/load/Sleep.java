package dev.agentstream.bench.load;

/** Sleeping until a {@link System#nanoTime()} instant. */
final class Sleep {

    private Sleep() {
    }

    static void until(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
