package dev.agentstream.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one soak client does in one turn, against the demo model's {@code assistant}: each turn
 * checks the answers it gets and fails with a {@link SoakFailure} when they break the API's promises.
 */
enum SoakScenario {

    /** A whole short answer, every event in order, ending with {@code RunCompleted}. */
    STREAM("stream") {
        @Override
        void run(Client c) throws IOException, SoakFailure {
            try (SseExchange x = c.startRun("{\"message\":\"story 30\"}")) {
                new RunReading(c.tally, 0, null).toEnd(x, "RunCompleted");
            }
        }
    },

    /** A long answer stopped through {@code POST /v1/runs/{id}/cancel}: the stream ends with {@code RunCancelled}. */
    STOP("stop") {
        @Override
        void run(Client c) throws IOException, SoakFailure {
            try (SseExchange x = c.startRun("{\"message\":\"story 400\"}")) {
                RunReading reading = new RunReading(c.tally, 0, null);
                reading.untilContent(x, 5);
                try (SseExchange cancel = c.send("POST", "/v1/runs/" + reading.runId() + "/cancel", Map.of(), null)) {
                    c.expect(cancel, 202, "cancel");
                }
                reading.toEnd(x, "RunCancelled");
            }
        }
    },

    /** A client that goes away mid-answer (the default {@code on_disconnect: cancel}). */
    DISCONNECT("disconnect") {
        @Override
        void run(Client c) throws IOException, SoakFailure {
            try (SseExchange x = c.startRun("{\"message\":\"story 400\"}")) {
                new RunReading(c.tally, 0, null).untilContent(x, 5);
            }
        }
    },

    /** Goes away mid-answer with {@code on_disconnect: continue}, then resumes with {@code Last-Event-ID}. */
    RESUME("resume") {
        @Override
        void run(Client c) throws IOException, SoakFailure {
            RunReading reading = new RunReading(c.tally, 0, null);
            try (SseExchange x = c.startRun("{\"message\":\"story 60\",\"on_disconnect\":\"continue\"}")) {
                reading.untilContent(x, 5);
            }
            try (SseExchange x = c.send("GET", "/v1/runs/" + reading.runId() + "/events",
                    Map.of("Accept", "text/event-stream", "Last-Event-ID", Long.toString(reading.lastSeq())), null)) {
                c.expect(x, 200, "resume");
                reading.toEnd(x, "RunCompleted");
            }
        }
    },

    /** The demo model's e-mail tool pauses the run for approval; a continue that confirms completes it. */
    PAUSE_CONTINUE("pause/continue") {
        @Override
        void run(Client c) throws IOException, SoakFailure {
            RunReading reading = new RunReading(c.tally, 0, null);
            String toolCallId;
            try (SseExchange x = c.startRun("{\"message\":\"email bob@example.com lunch?\"}")) {
                toolCallId = reading.toEnd(x, "RunPaused").field("tool_call_id");
            }
            String answer = "{\"tools\":[{\"tool_call_id\":\"" + toolCallId + "\",\"confirmed\":true}]}";
            try (SseExchange x = c.send("POST", "/v1/runs/" + reading.runId() + "/continue", Client.JSON, answer)) {
                c.expect(x, 200, "continue");
                reading.toEnd(x, "RunCompleted");
            }
        }
    },

    /** One of several requests the API must refuse with a 4xx and its JSON error body, storing nothing. */
    BAD_REQUEST("bad request") {
        @Override
        void run(Client c) throws IOException, SoakFailure {
            BadRequest bad = BadRequest.values()[c.badRequests.getAndIncrement() % BadRequest.values().length];
            try (SseExchange x = c.send(bad.method, bad.path(), bad.headers, bad.body)) {
                int status = x.status();
                String body = x.body();
                if (status < 400 || status >= 500 || !body.contains("\"error\"")) {
                    throw new SoakFailure(bad + ": HTTP " + status + " " + body);
                }
            }
        }
    };

    private final String label;

    SoakScenario(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    abstract void run(Client c) throws IOException, SoakFailure;

    /** One soak client's connection details; each exchange gets {@code exchangeMillis} to finish. */
    static final class Client {
        static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

        final SoakTally tally;
        private final InetSocketAddress address;
        private final long exchangeMillis;
        private final AtomicInteger badRequests = new AtomicInteger();

        Client(InetSocketAddress address, SoakTally tally, long exchangeMillis, int first) {
            this.address = address;
            this.tally = tally;
            this.exchangeMillis = exchangeMillis;
            this.badRequests.set(first);
        }

        SseExchange send(String method, String path, Map<String, String> headers, String body) throws IOException {
            return SseExchange.send(address, method, path, headers, body, System.nanoTime() + exchangeMillis * 1_000_000L);
        }

        SseExchange startRun(String body) throws IOException, SoakFailure {
            SseExchange x = send("POST", "/v1/agents/assistant/runs",
                Map.of("Content-Type", "application/json", "Accept", "text/event-stream"), body);
            try {
                expect(x, 200, "start a run");
                return x;
            } catch (IOException | SoakFailure | RuntimeException e) {
                x.close();
                throw e;
            }
        }

        void expect(SseExchange x, int status, String what) throws IOException, SoakFailure {
            int actual = x.status();
            if (actual != status) {
                throw new SoakFailure(what + ": HTTP " + actual + " " + x.body());
            }
        }
    }

    /** Requests the API refuses: malformed, mistyped, unknown, or naming what does not exist. */
    private enum BadRequest {
        TRUNCATED_JSON("POST", "/v1/agents/assistant/runs", Client.JSON, "{\"message\":"),
        WRONG_TYPE("POST", "/v1/agents/assistant/runs", Client.JSON, "{\"message\":5}"),
        UNKNOWN_FIELD("POST", "/v1/agents/assistant/runs", Client.JSON, "{\"message\":\"hi\",\"colour\":1}"),
        EMPTY_BODY("POST", "/v1/agents/assistant/runs", Client.JSON, ""),
        NOT_JSON("POST", "/v1/agents/assistant/runs", Map.of("Content-Type", "text/plain"), "story 3"),
        UNKNOWN_AGENT("POST", "/v1/agents/nobody/runs", Client.JSON, "{\"message\":\"hi\"}"),
        UNKNOWN_RUN_CANCEL("POST", "/v1/runs/%s/cancel", Map.of(), null),
        UNKNOWN_RUN_CONTINUE("POST", "/v1/runs/%s/continue", Client.JSON, "{\"tools\":[]}"),
        GARBAGE_LAST_EVENT_ID("GET", "/v1/runs/%s/events", Map.of("Last-Event-ID", "'; DROP TABLE runs;--"), null);

        final String method;
        final String pathTemplate;
        final Map<String, String> headers;
        final String body;

        BadRequest(String method, String pathTemplate, Map<String, String> headers, String body) {
            this.method = method;
            this.pathTemplate = pathTemplate;
            this.headers = headers;
            this.body = body;
        }

        String path() {
            return pathTemplate.contains("%s") ? pathTemplate.formatted(UUID.randomUUID()) : pathTemplate;
        }
    }
}
