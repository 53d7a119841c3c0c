package dev.agentstream.server.wire.openai;

/**
 * What every chunk of one completion repeats, fixed when the run starts: {@code id}
 * ({@code chatcmpl-} and the run id, so a completion leads back to its stored run),
 * {@code created} (epoch seconds) and {@code model} (the agent or team id asked for). Immutable.
 */
record CompletionIds(String id, long created, String model) {

    static CompletionIds of(String runId, String model) {
        return new CompletionIds("chatcmpl-" + runId, System.currentTimeMillis() / 1000, model);
    }
}
