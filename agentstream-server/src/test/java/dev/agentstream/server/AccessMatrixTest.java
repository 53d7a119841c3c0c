package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.server.auth.JwtVerifier;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Tokens;
import dev.agentstream.testkit.DemoChatModel;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may do what, for every route in the router's own table: the owner (an API key), another user
 * (a JWT), no credentials, the owner's expired JWT, a JWT for her signed with another key and a metrics scraper (the
 * {@code /metrics} token, which opens that route and no other). Another user's ids answer as ids that do not exist, 404, on every route that takes one: native, AgentOS, AG-UI, AI SDK and OpenAI. A route the
 * matrix does not classify fails {@link #everyRouteIsClassified()}.
 */
@Timeout(180)
class AccessMatrixTest {

    static final String ALICE_KEY = "key-alice-matrix-3b9d";
    static final String METRICS_TOKEN = "metrics-token-matrix-8e1f4a";
    static final DemoChatModel MODEL = DemoChatModel.builder().wordDelay(Duration.ofMillis(1)).build();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .apiKeys("alice:" + ALICE_KEY)
        .metricsToken(METRICS_TOKEN)
        .customize(b -> b.jwt(JwtVerifier.hs256(Tokens.SECRET).build())
            .team(Team.builder().id("team").model(MODEL)
                .member(Agent.builder().id("researcher").model(MODEL).build())
                .build()))
        .shared();

    /** The callers of each row, in this order: the owner comes last, after the others failed to delete. */
    enum Who { NONE, EXPIRED, FORGED, SCRAPER, OTHER, OWNER }

    /** Alice's things. */
    record Ids(String run, String session, String teamRun, String teamSession, String deleteV1, String deleteAgentOs) {
    }

    /** How a route treats callers: who gets which status. */
    enum Access {
        /** Anyone, without credentials. */
        PUBLIC,
        /** Any user, with their own view (lists hold none of another user's things). */
        ANY_USER,
        /** The owner; another user's id answers as an unknown id, 404. */
        OWNER_ONLY,
        /** The metrics scraper only: users' keys and tokens get 401 like no credentials. */
        SCRAPER_ONLY
    }

    /** A row: how to call the route with Alice's ids, the owner's status and how others are treated. */
    record Row(Access access, int ownerStatus, Request request) {
    }

    @FunctionalInterface
    interface Request {
        HttpRequest.Builder build(Ids ids);
    }

    static Ids ids;

    @BeforeAll
    static void alicesThings() {
        JsonNode run = start("/v1/agents/assistant/runs");
        JsonNode teamRun = start("/v1/teams/team/runs");
        ids = new Ids(run.get("run_id").asText(), run.get("session_id").asText(), teamRun.get("run_id").asText(),
            teamRun.get("session_id").asText(), start("/v1/agents/assistant/runs").get("session_id").asText(),
            start("/v1/agents/assistant/runs").get("session_id").asText());
    }

    private static JsonNode start(String path) {
        HttpResponse<String> response = server.post(path, "{\"message\":\"hi\",\"stream\":false}", auth(Who.OWNER));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    /** The matrix: one row per route of the table, as {@code AgentstreamServer#routes()} names it. */
    static Map<String, Row> matrix() {
        Map<String, Row> m = new LinkedHashMap<>();
        m.put("GET /health", new Row(Access.PUBLIC, 200, i -> get("/health")));
        m.put("GET /metrics", new Row(Access.SCRAPER_ONLY, 200, i -> get("/metrics")));
        m.put("GET /openapi.json", new Row(Access.PUBLIC, 200, i -> get("/openapi.json")));

        m.put("GET /v1/agents", new Row(Access.ANY_USER, 200, i -> get("/v1/agents")));
        m.put("GET /v1/teams", new Row(Access.ANY_USER, 200, i -> get("/v1/teams")));
        m.put("GET /v1/sessions", new Row(Access.ANY_USER, 200, i -> get("/v1/sessions")));
        m.put("POST /v1/agents/{agent_id}/runs", new Row(Access.OWNER_ONLY, 200, i -> json("/v1/agents/assistant/runs",
            "{\"message\":\"hi\",\"stream\":false,\"session_id\":\"" + i.session() + "\"}")));
        m.put("POST /v1/teams/{team_id}/runs", new Row(Access.OWNER_ONLY, 200, i -> json("/v1/teams/team/runs",
            "{\"message\":\"hi\",\"stream\":false,\"session_id\":\"" + i.teamSession() + "\"}")));
        m.put("GET /v1/runs/{run_id}", new Row(Access.OWNER_ONLY, 200, i -> get("/v1/runs/" + i.run())));
        m.put("GET /v1/runs/{run_id}/events", new Row(Access.OWNER_ONLY, 200, i -> get("/v1/runs/" + i.run() + "/events")));
        m.put("POST /v1/runs/{run_id}/cancel", new Row(Access.OWNER_ONLY, 409, i -> json("/v1/runs/" + i.run() + "/cancel", "")));
        m.put("POST /v1/runs/{run_id}/continue", new Row(Access.OWNER_ONLY, 409, i -> json("/v1/runs/" + i.run()
            + "/continue", "{\"tools\":[]}")));
        m.put("GET /v1/sessions/{session_id}", new Row(Access.OWNER_ONLY, 200, i -> get("/v1/sessions/" + i.session())));
        m.put("GET /v1/sessions/{session_id}/messages", new Row(Access.OWNER_ONLY, 200,
            i -> get("/v1/sessions/" + i.session() + "/messages")));
        m.put("GET /v1/sessions/{session_id}/runs", new Row(Access.OWNER_ONLY, 200,
            i -> get("/v1/sessions/" + i.session() + "/runs")));
        m.put("DELETE /v1/sessions/{session_id}", new Row(Access.OWNER_ONLY, 204,
            i -> request("/v1/sessions/" + i.deleteV1()).DELETE()));

        m.put("GET /v1/models", new Row(Access.ANY_USER, 200, i -> get("/v1/models")));
        m.put("GET /v1/models/{model}", new Row(Access.ANY_USER, 200, i -> get("/v1/models/assistant")));
        m.put("POST /v1/chat/completions", new Row(Access.OWNER_ONLY, 200, i -> json("/v1/chat/completions",
            "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
            .header("X-Session-Id", i.session())));

        m.put("GET /agui/status", new Row(Access.ANY_USER, 200, i -> get("/agui/status")));
        m.put("POST /agui/agents/{agent_id}", new Row(Access.OWNER_ONLY, 200, i -> json("/agui/agents/assistant",
            aguiInput(i.session()))));
        m.put("POST /agui/teams/{team_id}", new Row(Access.OWNER_ONLY, 200, i -> json("/agui/teams/team",
            aguiInput(i.teamSession()))));

        for (String kind : List.of("agents", "teams")) {
            String member = kind.equals("agents") ? "assistant" : "team";
            m.put("POST /v1/ai-sdk/" + kind + "/{" + kind.substring(0, kind.length() - 1) + "_id}/chat",
                new Row(Access.OWNER_ONLY, 200, i -> json("/v1/ai-sdk/" + kind + "/" + member + "/chat",
                    chatBody(kind.equals("agents") ? i.session() : i.teamSession()))));
            m.put("GET /v1/ai-sdk/" + kind + "/{" + kind.substring(0, kind.length() - 1) + "_id}/chat/{chat_id}/stream",
                new Row(Access.OWNER_ONLY, 204, i -> get("/v1/ai-sdk/" + kind + "/" + member + "/chat/"
                    + (kind.equals("agents") ? i.session() : i.teamSession()) + "/stream")));
            m.put("POST /v1/ai-sdk/" + kind + "/{" + kind.substring(0, kind.length() - 1) + "_id}/chat/{chat_id}/stop",
                new Row(Access.OWNER_ONLY, 204, i -> json("/v1/ai-sdk/" + kind + "/" + member + "/chat/"
                    + (kind.equals("agents") ? i.session() : i.teamSession()) + "/stop", "")));

            m.put("GET /" + kind, new Row(Access.ANY_USER, 200, i -> get("/" + kind)));
            String param = "{" + kind.substring(0, kind.length() - 1) + "_id}";
            m.put("POST /" + kind + "/" + param + "/runs", new Row(Access.OWNER_ONLY, 200, i -> form("/" + kind + "/"
                + member + "/runs", "message=hi&stream=false&session_id=" + (kind.equals("agents") ? i.session()
                : i.teamSession()))));
            m.put("POST /" + kind + "/" + param + "/runs/{run_id}/cancel", new Row(Access.OWNER_ONLY, 409,
                i -> form("/" + kind + "/" + member + "/runs/" + (kind.equals("agents") ? i.run() : i.teamRun())
                    + "/cancel", "")));
            m.put("POST /" + kind + "/" + param + "/runs/{run_id}/continue", new Row(Access.OWNER_ONLY, 409,
                i -> form("/" + kind + "/" + member + "/runs/" + (kind.equals("agents") ? i.run() : i.teamRun())
                    + "/continue", "tools=[]")));
        }
        m.put("GET /sessions", new Row(Access.ANY_USER, 200, i -> get("/sessions")));
        m.put("GET /sessions/{session_id}", new Row(Access.OWNER_ONLY, 200, i -> get("/sessions/" + i.session())));
        m.put("GET /sessions/{session_id}/runs", new Row(Access.OWNER_ONLY, 200, i -> get("/sessions/" + i.session() + "/runs")));
        m.put("DELETE /sessions/{session_id}", new Row(Access.OWNER_ONLY, 204,
            i -> request("/sessions/" + i.deleteAgentOs()).DELETE()));
        return m;
    }

    @Test
    void everyRouteIsClassified() {
        assertThat(matrix().keySet()).as("the access matrix classifies exactly the routes served")
            .containsExactlyInAnyOrderElementsOf(server.server().routes());
    }

    @TestFactory
    Stream<DynamicTest> everyRouteTimesEveryCaller() {
        Map<String, Row> matrix = matrix();
        List<DynamicTest> tests = new ArrayList<>();
        for (String route : server.server().routes()) {
            Row row = matrix.get(route);
            tests.add(DynamicTest.dynamicTest(route, () -> {
                assertThat(row).as("%s is not in the access matrix", route).isNotNull();
                for (Who who : Who.values()) {
                    HttpRequest.Builder request = row.request().build(ids).timeout(Duration.ofSeconds(30));
                    String[] auth = auth(who);
                    if (auth.length > 0) {
                        request.header(auth[0], auth[1]);
                    }
                    HttpResponse<String> response = server.send(request.build());
                    assertThat(response.statusCode()).as("%s as %s: %s", route, who, response.body())
                        .isEqualTo(expected(row, who));
                    if (row.access() == Access.SCRAPER_ONLY && who != Who.SCRAPER) {
                        assertThat(TestServer.json(response).at("/error/code").asText()).as("%s as %s", route, who)
                            .isEqualTo("unauthorized");
                    }
                    if (who == Who.OTHER && row.access() == Access.ANY_USER) {
                        assertThat(response.body()).as("%s as another user", route)
                            .doesNotContain(ids.session(), ids.run(), ids.teamSession(), ids.teamRun());
                    }
                }
            }));
        }
        return tests.stream();
    }

    private static int expected(Row row, Who who) {
        if (row.access() == Access.PUBLIC) {
            return 200;
        }
        if (row.access() == Access.SCRAPER_ONLY) {
            return who == Who.SCRAPER ? row.ownerStatus() : 401;
        }
        return switch (who) {
            case NONE, EXPIRED, FORGED, SCRAPER -> 401;
            case OWNER -> row.ownerStatus();
            case OTHER -> row.access() == Access.ANY_USER ? row.ownerStatus() : 404;
        };
    }

    /** The {@code Authorization} header pair of each caller; none for {@link Who#NONE}. */
    static String[] auth(Who who) {
        return switch (who) {
            case NONE -> new String[0];
            case SCRAPER -> Tokens.bearer(METRICS_TOKEN);
            case OWNER -> Tokens.bearer(ALICE_KEY);
            case OTHER -> Tokens.bearer(Tokens.hs256(Tokens.claims("bob").build()));
            case EXPIRED -> Tokens.bearer(Tokens.hs256(Tokens.claims("alice")
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))).build()));
            case FORGED -> Tokens.bearer(Tokens.hs256("another-secret-that-is-long-enough!", Tokens.claims("alice").build()));
        };
    }

    private static String aguiInput(String threadId) {
        return "{\"threadId\":\"" + threadId + "\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\","
            + "\"content\":\"hi\"}],\"tools\":[],\"context\":[],\"state\":{},\"forwardedProps\":{}}";
    }

    private static String chatBody(String chatId) {
        return "{\"id\":\"" + chatId + "\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\","
            + "\"text\":\"hi\"}]}],\"trigger\":\"submit-message\"}";
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.uri(path));
    }

    private static HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private static HttpRequest.Builder json(String path, String body) {
        return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder form(String path, String body) {
        return request(path).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
