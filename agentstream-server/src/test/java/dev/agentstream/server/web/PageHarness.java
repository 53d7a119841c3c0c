package dev.agentstream.server.web;

import dev.agentstream.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

/**
 * A real server on a free loopback port with the demo model (one word per 30 ms, as the default
 * server streams) and the shared headless Chromium, for one test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PageHarness harness = PageHarness.withDemoModel();
 * }</pre>
 *
 * <p>Each test starts on a clean origin (no stored key, no resumable run). A failing test leaves
 * a screenshot, the page's DOM and the browser console under {@code target/screenshots/}.
 *
 * <p>Without Chromium the tests are skipped with a message, except under {@code CI=true}, where
 * that is a failure: CI installs the browser.
 */
final class PageHarness implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterTestExecutionCallback {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WORD_DELAY = Duration.ofMillis(30);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PageHarness.class);
    private static final String MISSING = "Chromium and chromedriver were not found (apt-get install chromium"
        + " chromium-driver, or set AGENTSTREAM_CHROMIUM and AGENTSTREAM_CHROMEDRIVER)";

    private final UnaryOperator<TestServer.Builder> options;
    private TestServer server;
    private Browser browser;

    private PageHarness(UnaryOperator<TestServer.Builder> options) {
        this.options = options;
    }

    static PageHarness withDemoModel() {
        return new PageHarness(b -> b);
    }

    /** A server with more options (API keys, say) on top of the demo model. */
    static PageHarness withDemoModel(UnaryOperator<TestServer.Builder> more) {
        return new PageHarness(more);
    }

    /** Without a browser the tests are skipped, with the reason in the report; under CI=true they run, and fail. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Browser.locate().isPresent() || onCi()) {
            return ConditionEvaluationResult.enabled("Chromium found (or CI=true)");
        }
        System.err.println(context.getDisplayName() + ": skipped: " + MISSING);
        return ConditionEvaluationResult.disabled(MISSING + ": the browser tests are skipped");
    }

    private static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        browser = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Browser.class, key -> {
            Browser.Install install = Browser.locate()
                .orElseThrow(() -> new IllegalStateException(MISSING + "; under CI=true the browser tests must run"));
            return Browser.start(install);
        }, Browser.class);
        server = options.apply(TestServer.builder().wordDelay(WORD_DELAY)).start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ChromeDriver driver = browser.driver();
        driver.manage().window().setSize(Browser.WIDE);
        // A page of this origin that runs no script, to forget what an earlier test stored.
        driver.get(server.uri("/openapi.json").toString());
        driver.executeScript("localStorage.clear(); sessionStorage.clear();");
        driver.manage().logs().get(LogType.BROWSER);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            save(name);
        } catch (RuntimeException | IOException e) {
            context.getExecutionException().get().addSuppressed(e);
        }
    }

    private void save(String name) throws IOException {
        ChromeDriver driver = browser.driver();
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
        String console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(entry -> entry.getLevel() + " " + entry.getMessage())
            .collect(Collectors.joining("\n"));
        Files.writeString(SCREENSHOTS.resolve(name + ".console.txt"), console, StandardCharsets.UTF_8);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** The page, in the shared browser, on this class's server. */
    ChatPage page() {
        return new ChatPage(browser.driver(), server.uri("/"));
    }

    TestServer server() {
        return server;
    }

    ChromeDriver driver() {
        return browser.driver();
    }

    /** Saves a screenshot of the current page to {@code target/screenshots/<name>.png}, test passed or not. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, browser.driver().getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
