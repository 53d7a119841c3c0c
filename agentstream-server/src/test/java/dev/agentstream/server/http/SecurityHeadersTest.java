package dev.agentstream.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class SecurityHeadersTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();

    private static List<String> directives(HttpResponse<String> response) {
        String policy = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        return Arrays.stream(policy.split(";")).map(String::strip).toList();
    }

    @Test
    void thePageForbidsInlineScriptAndFraming() {
        HttpResponse<String> page = server.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(directives(page)).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
            "base-uri 'none'");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
            .doesNotContain("unsafe-inline", "unsafe-eval", "*");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void thePageLoadsOnlyWhatThePolicyAllows() {
        String html = server.get("/").body();

        // Module scripts and CSS from this server; no inline script or handler for the policy to block.
        assertThat(html).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertThat(html.replace("<script type=\"module\" src=\"app.js\"></script>", "")).doesNotContain("<script");
        assertThat(html).doesNotContainPattern("\\son[a-z]+=");
    }

    @Test
    void thePagesFilesAndTheApiAreNeverSniffed() {
        for (String path : List.of("/app.js", "/app.css", "/health", "/v1/agents", "/v1/runs/missing")) {
            HttpResponse<String> response = server.get(path);

            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        }
    }
}
