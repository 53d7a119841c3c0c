package dev.agentstream.server.wire.agentos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Calls a {@link TestServer}'s AgentOS routes the way Agent UI does: runs as {@code multipart/form-data}
 * (or urlencoded, as curl sends them), streams read as raw text and scanned for JSON objects by
 * counting braces, as the UI's reader does (it ignores the SSE framing).
 */
final class AgentOsClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestServer server;

    AgentOsClient(TestServer server) {
        this.server = server;
    }

    /** Form fields in order; values may repeat names. */
    static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** A multipart request as a browser's {@code fetch(url, {method: 'POST', body: formData})} makes it. */
    HttpRequest multipart(String path, Map<String, String> fields, String... headers) {
        String boundary = "----AgentOsTest" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
            + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.request(path, headers).header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    /** An {@code application/x-www-form-urlencoded} request, as {@code curl --data-urlencode} makes it. */
    HttpRequest urlencoded(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
        return server.request(path, headers).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpResponse<String> send(HttpRequest request) {
        return server.send(request);
    }

    /** Sends and reads the answer as it comes, for tests that stop reading mid-stream. */
    SseStream open(HttpRequest request) {
        return server.stream(request);
    }

    /** Starts a streamed run of {@code agentId} with a multipart form and reads the whole answer. */
    Streamed run(String agentId, String message, String sessionId, String... headers) {
        return streamed(send(multipart("/agents/" + agentId + "/runs",
            fields("message", message, "stream", "true", "session_id", sessionId), headers)));
    }

    static Streamed streamed(HttpResponse<String> response) {
        return new Streamed(response, objects(response.body()));
    }

    /** A finished streamed answer: the response and the JSON objects found in its body. */
    record Streamed(HttpResponse<String> response, List<JsonNode> events) {

        List<String> names() {
            return events.stream().map(e -> e.path("event").asText()).toList();
        }

        JsonNode first(String event) {
            return events.stream().filter(e -> e.path("event").asText().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " in " + names()));
        }

        JsonNode last() {
            return events.getLast();
        }

        String sessionId() {
            return events.getFirst().path("session_id").asText();
        }

        String runId() {
            return events.getFirst().path("run_id").asText();
        }

        /** The text the UI shows while streaming: the {@code RunContent} deltas joined. */
        String streamedText(String event) {
            return events.stream().filter(e -> e.path("event").asText().equals(event))
                .map(e -> e.path("content").asText()).collect(Collectors.joining());
        }
    }

    /**
     * The complete top-level JSON objects in {@code text}, found as Agent UI finds them: by counting
     * braces outside strings (escape-aware); everything between objects is ignored.
     */
    static List<JsonNode> objects(String text) {
        List<JsonNode> objects = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"' && depth > 0) {
                inString = true;
            } else if (c == '{') {
                if (depth++ == 0) {
                    start = i;
                }
            } else if (c == '}' && depth > 0 && --depth == 0) {
                try {
                    objects.add(JSON.readTree(text.substring(start, i + 1)));
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON between braces: " + text.substring(start, i + 1), e);
                }
            }
        }
        return objects;
    }
}
