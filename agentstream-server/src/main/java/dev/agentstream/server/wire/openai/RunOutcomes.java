package dev.agentstream.server.wire.openai;

import dev.agentstream.RunOutput;
import dev.agentstream.server.http.ApiError;

/**
 * How a run that did not complete is told to an OpenAI client, streamed or not: chat completions
 * know only answers and errors, so a failed, cancelled or paused run is an error that names the
 * run (it is stored, and a paused one can be continued through the native API).
 */
final class RunOutcomes {

    private RunOutcomes() {
    }

    static String cancelledMessage(String runId, String reason) {
        return "run " + runId + " was cancelled (" + reason + "); its partial answer is stored";
    }

    static String pausedMessage(String runId) {
        return "run " + runId + " paused: a tool waits for a person's decision, which chat completions cannot carry;"
            + " continue it with POST /v1/runs/" + runId + "/continue";
    }

    /** The error for a {@code stream: false} run that did not complete; null for a completed one. */
    static ApiError errorFor(RunOutput output) {
        return switch (output.status()) {
            case COMPLETED -> null;
            case PAUSED -> ApiError.conflict("run_paused", pausedMessage(output.runId()));
            case CANCELLED, INTERRUPTED -> ApiError.conflict("run_cancelled",
                cancelledMessage(output.runId(), output.cancelReason()));
            case ERROR -> ApiError.of(500, "run_error", output.error() == null ? "the run failed" : output.error());
            case PENDING, RUNNING -> throw new IllegalStateException("run " + output.runId() + " is " + output.status()
                + " after its segment ended");
        };
    }
}
