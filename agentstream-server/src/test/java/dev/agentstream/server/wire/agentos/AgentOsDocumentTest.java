package dev.agentstream.server.wire.agentos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.TestServer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI document describes the AgentOS forms with exactly the fields the routes take. */
class AgentOsDocumentTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();

    @Test
    void theFormSchemasNameExactlyTheFieldsTheRoutesTake() {
        JsonNode schemas = server.getJson("/openapi.json", 200).path("components").path("schemas");

        assertThat(fields(schemas.path("AgentOsRunForm"))).isEqualTo(RunForm.FIELDS);
        assertThat(fields(schemas.path("AgentOsContinueForm"))).isEqualTo(ContinueForm.FIELDS);
    }

    private static Set<String> fields(JsonNode schema) {
        Set<String> names = new HashSet<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
