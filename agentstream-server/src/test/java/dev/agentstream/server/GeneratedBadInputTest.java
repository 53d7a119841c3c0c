package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.event.EventJson;
import dev.agentstream.server.testing.KeepAliveHttp;
import dev.agentstream.server.testing.TestServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Bad input, generated: at least 10,000 requests per run over one kept-alive socket to one real
 * server, spread over every route of the router's own table, each wrong in one or more ways (the
 * body malformed, truncated, of the wrong type or shape, with huge numbers, invalid UTF-8 or duplicate
 * keys, empty, declared as another content type; ids with path and SQL characters; garbage
 * {@code Last-Event-ID}, {@code after}, paging and session headers; the wrong method). Every answer
 * is below 500, every refusal carries its wire format's JSON error body, no request starts a run,
 * the server is healthy afterwards and the database holds exactly what it held before.
 */
class GeneratedBadInputTest {

    static final int TRIES = 10_000;
    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    private static TestServer server;
    private static KeepAliveHttp http;
    private static List<String> routes;
    private static String runId;
    private static String sessionId;
    private static Map<String, Long> rowsBefore;
    private static final AtomicInteger sent = new AtomicInteger();
    private static final Map<String, AtomicInteger> perRoute = new ConcurrentHashMap<>();

    @BeforeContainer
    static void startServer() throws SQLException {
        server = TestServer.builder().customize(b -> b.maxBodyBytes(16 * 1024)).start();
        routes = server.server().routes();
        JsonNode run = TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"hi\",\"stream\":false}"));
        runId = run.get("run_id").asText();
        sessionId = run.get("session_id").asText();
        http = new KeepAliveHttp(server.server().baseUri(), 10_000);
        rowsBefore = rows();
    }

    @AfterContainer
    static void serverIsHealthyAndStoredNothing() throws SQLException {
        try {
            assertThat(sent.get()).as("requests sent").isGreaterThanOrEqualTo(TRIES);
            assertThat(perRoute.keySet()).as("every route was tried").containsAll(routes);
            JsonNode health = server.getJson("/health", 200);
            assertThat(health.get("status").asText()).isEqualTo("ok");
            assertThat(health.get("active_runs").asInt()).isZero();
            assertThat(server.getJson("/v1/runs/" + runId, 200).get("status").asText()).isEqualTo("COMPLETED");
            assertThat(rows()).as("rows per table after the bad requests").isEqualTo(rowsBefore);
        } finally {
            http.close();
            server.close();
        }
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
    void aBadRequestIsAnswered4xxWithItsFormatsErrorBody(@ForAll("badRequests") BadRequest request) throws IOException {
        KeepAliveHttp.Response response = http.send(request.method(), request.target(), request.headers(), request.body());
        sent.incrementAndGet();
        perRoute.computeIfAbsent(request.route(), r -> new AtomicInteger()).incrementAndGet();

        assertThat(response.status()).as("%s -> %s", request, response.bodyText()).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.header("content-type")).as("%s", request).startsWith("application/json");
            assertErrorShape(request, response);
        } else {
            assertThat(request.createsRuns()).as("%s was accepted: %s %s", request, response.status(),
                response.bodyText()).isFalse();
        }
    }

    /** OpenAI's routes answer in OpenAI's shape, AgentOS's in {@code {"detail"}}, the rest in the native one. */
    private static void assertErrorShape(BadRequest request, KeepAliveHttp.Response response) throws IOException {
        JsonNode body = EventJson.mapper().readTree(response.body());
        String path = request.path();
        if (body.has("detail") && agentOs(path)) {
            assertThat(body.get("detail").isTextual()).as("%s -> %s", request, body).isTrue();
            return;
        }
        JsonNode error = body.get("error");
        assertThat(error).as("%s -> %s", request, body).isNotNull();
        assertThat(error.path("message").asText()).as("%s -> %s", request, body).isNotBlank();
        boolean openAi = path.startsWith("/v1/chat/completions") || path.startsWith("/v1/models");
        if (openAi && request.reachesRoute()) {
            assertThat(error.path("type").asText()).as("%s -> %s", request, body).isNotBlank();
        } else {
            // The native shape; also what the HTTP layer answers before it knows the route.
            assertThat(error.path("code").asText()).as("%s -> %s", request, body).isNotBlank();
        }
        if (agentOs(path) && request.reachesRoute()) {
            throw new AssertionError(request + " reached an AgentOS route but was answered " + body);
        }
    }

    private static boolean agentOs(String path) {
        return path.startsWith("/agents") || path.startsWith("/teams") || path.startsWith("/sessions");
    }

    /** Rows in each table, read straight from the SQLite file. */
    private static Map<String, Long> rows() throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.folder().resolve("agentstream.db"));
             Statement statement = c.createStatement()) {
            for (String table : List.of("sessions", "runs", "messages", "run_events", "idempotency_keys")) {
                try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    count.next();
                    rows.put(table, count.getLong(1));
                }
            }
        }
        return rows;
    }

    @Provide
    Arbitrary<BadRequest> badRequests() {
        Arbitrary<String> route = Arbitraries.of(routes);
        Arbitrary<String> method = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(12, Arbitraries.just("")),
            net.jqwik.api.Tuple.of(1, Arbitraries.of("PUT", "PATCH", "GET", "DELETE", "POST")));
        Arbitrary<List<String>> ids = Arbitraries.oneOf(Garbage.ids(), Arbitraries.of(runId, sessionId, "assistant"))
            .list().ofSize(3);
        Arbitrary<Body> body = Garbage.bodies();
        Arbitrary<List<String>> headers = Garbage.headers().list().ofMaxSize(3);
        Arbitrary<String> query = Garbage.queries();
        return Combinators.combine(route, method, ids, body, headers, query)
            .as((r, m, i, b, h, q) -> BadRequest.of(r, m, i, b, h, q));
    }

    /** A body with the content type it is declared as (null: none). */
    record Body(String contentType, byte[] bytes, String label) {
    }

    /**
     * One generated request.
     *
     * @param route the route of the table it was made from, e.g. {@code POST /v1/runs/{run_id}/cancel}
     * @param reachesRoute false when the HTTP layer refuses it before routing (its path, a header it cannot take)
     */
    record BadRequest(String route, String method, String path, String target, List<String> headers, byte[] body,
                      String label, boolean reachesRoute) {

        static BadRequest of(String route, String otherMethod, List<String> ids, Body body, List<String> extra,
                             String query) {
            String routeMethod = route.substring(0, route.indexOf(' '));
            String method = otherMethod.isEmpty() ? routeMethod : otherMethod;
            String template = route.substring(route.indexOf(' ') + 1);
            Matcher params = PARAM.matcher(template);
            StringBuilder path = new StringBuilder();
            boolean clean = true;
            int i = 0;
            while (params.find()) {
                String id = ids.get(i++ % ids.size());
                // Someone's real session must never meet a DELETE: that request would be valid.
                if (method.equals("DELETE") && (id.equals(sessionId) || id.equals(runId))) {
                    id = "'; DELETE FROM sessions; --";
                }
                String encoded = Garbage.encodeId(id);
                clean &= Garbage.reachesRoute(id);
                params.appendReplacement(path, Matcher.quoteReplacement(encoded));
            }
            params.appendTail(path);
            List<String> headers = new ArrayList<>(extra);
            if (body.contentType() != null) {
                headers.add("Content-Type: " + body.contentType());
            }
            String label = route + " as " + method + " " + path + query + " " + extra + " body " + body.label();
            return new BadRequest(route, method, path.toString(), path + query, headers, body.bytes(), label,
                clean && (path.length() + query.length()) < 7000 && extra.stream().allMatch(Garbage::readableHeader));
        }

        /** A route that starts runs; nothing sent to it here may be accepted. */
        boolean createsRuns() {
            return method.equals("POST") && (route.endsWith("/runs") || route.endsWith("/chat")
                || route.endsWith("/continue") || route.contains("/agui/") || route.endsWith("/completions"));
        }

        @Override
        public String toString() {
            return label.length() > 400 ? label.substring(0, 400) + "…" : label;
        }
    }
}
