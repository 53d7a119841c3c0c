package dev.agentstream.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the load generator talks to and how each one's stream reads: the request it sends, which
 * frames carry tokens, which frame ends the stream, and how a stream is stopped.
 */
enum TargetKind {

    /** The raw byte proxy in front of the fake upstream: the upstream's own request and frames. */
    PROXY("/v1/chat/completions") {
        @Override
        String body(long streamId, int tokens) {
            return "{\"model\":\"bench\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + message(streamId, tokens) + "\"}]}";
        }

        @Override
        End end(String event, String data) {
            return data.equals("[DONE]") ? End.COMPLETED : End.NONE;
        }
    },

    /** agentstream's native route: {@code RunContent} frames carry tokens; a terminal event ends. */
    AGENTSTREAM("/v1/agents/assistant/runs") {
        @Override
        String body(long streamId, int tokens) {
            return "{\"message\":\"" + message(streamId, tokens) + "\"}";
        }

        @Override
        boolean carriesTokens(String event) {
            // RunCompleted repeats the whole answer; only the deltas count.
            return "RunContent".equals(event);
        }

        @Override
        End end(String event, String data) {
            if (event == null) {
                return End.NONE;
            }
            return switch (event) {
                case "RunCompleted" -> End.COMPLETED;
                case "RunCancelled" -> End.CANCELLED;
                case "RunError" -> End.ERROR;
                default -> End.NONE;
            };
        }

        @Override
        boolean stopsByCancelRoute() {
            return true;
        }

        @Override
        byte[] backgroundRequest(String hostPort, long streamId, int tokens) {
            return post(path(), hostPort, "{\"message\":\"" + message(streamId, tokens) + "\",\"background\":true}",
                "application/json");
        }

        @Override
        byte[] followRequest(String hostPort, String runId) {
            String head = "GET /v1/runs/" + runId + "/events HTTP/1.1\r\nHost: " + hostPort
                + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n";
            return head.getBytes(StandardCharsets.US_ASCII);
        }
    },

    /** The Spring AI peer: {@code data:} lines are token texts; the stream ends with the body. */
    SPRING("/chat") {
        @Override
        String body(long streamId, int tokens) {
            return "{\"conversationId\":\"" + StreamIds.label(streamId) + "\",\"message\":\"" + message(streamId, tokens) + "\"}";
        }

        @Override
        End end(String event, String data) {
            return End.NONE;
        }

        @Override
        boolean endsWithBody() {
            return true;
        }
    };

    /** How a stream ended, as its frames said. */
    enum End { NONE, COMPLETED, CANCELLED, ERROR }

    private final String path;

    TargetKind(String path) {
        this.path = path;
    }

    static TargetKind parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The request body; the message names the stream and how many tokens the fake upstream should send. */
    abstract String body(long streamId, int tokens);

    /** The frame that ends the stream, if {@code event}/{@code data} is one. */
    abstract End end(String event, String data);

    boolean carriesTokens(String event) {
        return true;
    }

    /** True when a stop is {@code POST /v1/runs/{id}/cancel}; otherwise the client disconnects. */
    boolean stopsByCancelRoute() {
        return false;
    }

    /** True when the end of the response body is the stream's normal end. */
    boolean endsWithBody() {
        return false;
    }

    byte[] request(String hostPort, long streamId, int tokens) {
        return post(path, hostPort, body(streamId, tokens), "text/event-stream");
    }

    /** A request that starts the stream's run without reading it (answered at once with its run id). */
    byte[] backgroundRequest(String hostPort, long streamId, int tokens) {
        throw new UnsupportedOperationException(label() + " has no background runs");
    }

    /** A request that follows an already started run's events from its first one. */
    byte[] followRequest(String hostPort, String runId) {
        throw new UnsupportedOperationException(label() + " cannot follow a run by id");
    }

    String path() {
        return path;
    }

    private static byte[] post(String path, String hostPort, String json, String accept) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + hostPort + "\r\nContent-Type: application/json\r\n"
            + "Accept: " + accept + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    private static String message(long streamId, int tokens) {
        return StreamIds.label(streamId) + " " + StreamIds.tokensLabel(tokens) + " tell me a long story";
    }
}
