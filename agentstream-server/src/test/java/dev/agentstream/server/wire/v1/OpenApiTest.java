package dev.agentstream.server.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.TestServer;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenApiTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();
    static JsonNode doc;

    @BeforeAll
    static void start() {
        
        doc = server.getJson("/openapi.json", 200);
    }

    @Test
    void theDocumentListsExactlyTheRoutesTheServerHas() {
        Set<String> documented = new HashSet<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            doc.get("paths").get(path).fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path));
        }
        Set<String> served = new HashSet<>(server.server().routes());

        assertThat(documented).isEqualTo(served);
    }

    @Test
    void theRequestSchemasNameExactlyTheFieldsTheServerAccepts() {
        JsonNode schemas = doc.get("components").get("schemas");

        assertThat(fields(schemas.get("StartRun"))).isEqualTo(StartRunBody.FIELDS);
        assertThat(fields(schemas.get("Continue"))).isEqualTo(ContinueBody.FIELDS);
        assertThat(fields(schemas.get("ToolDecision"))).isEqualTo(ContinueBody.DECISION_FIELDS);
    }

    @Test
    void everyOperationHasAnIdAndItsRunRoutesDocumentTheirErrors() {
        doc.get("paths").forEach(path -> path.forEach(op -> assertThat(op.has("operationId")).isTrue()));
        JsonNode start = doc.get("paths").get("/v1/agents/{agent_id}/runs").get("post").get("responses");
        assertThat(start.has("200") && start.has("202") && start.has("409") && start.has("413") && start.has("422")).isTrue();
    }

    private static Set<String> fields(JsonNode schema) {
        Set<String> names = new HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
