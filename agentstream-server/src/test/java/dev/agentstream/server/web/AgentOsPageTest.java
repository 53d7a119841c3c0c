package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A page of another origin (a small page of our own, served by a JDK HTTP server on its own port)
 * calls the AgentOS routes in Chromium exactly as Agno's Agent UI does: preflighted JSON GETs with a
 * bearer token, a {@code FormData} POST, the streamed body read by scanning for JSON objects; then
 * the session list and the history. Nothing foreign is built: the contract is exercised, not the UI.
 */
class AgentOsPageTest {

    static final String TOKEN = "alice-key";
    static final HttpServer PAGES = pageServer();
    static final String ALLOWED_ORIGIN = "http://localhost:" + PAGES.getAddress().getPort();

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel(b -> b.apiKeys("alice:" + TOKEN)
        .customize(s -> s.corsOrigins(List.of(ALLOWED_ORIGIN))));

    @AfterAll
    static void stopPages() {
        PAGES.stop(0);
    }

    @Test
    void aPageOfAnAllowedOriginStreamsARunAndReadsItsSessionAsAgentUiDoes() {
        WebDriver driver = open(ALLOWED_ORIGIN, "story 40");

        assertThat(text(driver, "error")).isEmpty();
        assertThat(text(driver, "status")).isEqualTo("200");
        assertThat(text(driver, "agent")).isEqualTo("assistant agentstream");
        String answer = text(driver, "answer");
        assertThat(answer.split("\\s+")).hasSize(40);
        // Flushed per event: the reader saw the body in many reads, not one.
        assertThat(Integer.parseInt(text(driver, "renders"))).isGreaterThan(5);
        assertThat(text(driver, "events")).startsWith("RunStarted ").endsWith(" RunCompleted");
        String session = text(driver, "session");
        assertThat(text(driver, "sessions")).startsWith(session + "=story 40");
        assertThat(text(driver, "history")).isEqualTo("story 40=>" + answer);
    }

    @Test
    void aPageOfAnotherOriginIsRefusedByTheBrowser() {
        // Same page and port, but 127.0.0.1 is not the configured localhost origin.
        WebDriver driver = open("http://127.0.0.1:" + PAGES.getAddress().getPort(), "story 3");

        assertThat(text(driver, "error")).startsWith("failed: TypeError");
        assertThat(text(driver, "status")).isEmpty();
    }

    private WebDriver open(String origin, String message) {
        WebDriver driver = harness.driver();
        String endpoint = harness.server().server().baseUri().toString().replaceAll("/$", "");
        driver.get(origin + "/index.html?endpoint=" + encode(endpoint) + "&token=" + TOKEN + "&message=" + encode(message));
        new WebDriverWait(driver, Duration.ofSeconds(20))
            .until(d -> "true".equals(d.findElement(By.id("done")).getText()));
        return driver;
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpServer pageServer() {
        try (InputStream in = AgentOsPageTest.class.getResourceAsStream("/agentos-page/index.html")) {
            byte[] page = in.readAllBytes();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/index.html", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
