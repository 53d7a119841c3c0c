package dev.agentstream.server.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The system's headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium. Both files are given to Selenium explicitly, so Selenium Manager never looks for, let
 * alone downloads, a browser or a driver. One instance serves every browser test of a test run.
 *
 * <p>Thread contract: not thread-safe; the tests run one after the other.
 */
final class Browser implements AutoCloseable {

    /** Where to look when {@code AGENTSTREAM_CHROMIUM} / {@code AGENTSTREAM_CHROMEDRIVER} are not set. */
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
        "/usr/lib/chromium/chromium");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    static final Dimension WIDE = new Dimension(1280, 800);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** The browser and driver files, when this machine has both. */
    record Install(Path browser, Path driver) {
    }

    static Optional<Install> locate() {
        Optional<Path> browser = first("AGENTSTREAM_CHROMIUM", BROWSERS);
        Optional<Path> driver = first("AGENTSTREAM_CHROMEDRIVER", DRIVERS);
        return browser.isPresent() && driver.isPresent()
            ? Optional.of(new Install(browser.get(), driver.get()))
            : Optional.empty();
    }

    private static Optional<Path> first(String env, List<String> candidates) {
        String configured = System.getenv(env);
        Stream<String> paths = configured == null || configured.isBlank()
            ? candidates.stream()
            : Stream.of(configured);
        return paths.map(Path::of).filter(Files::isExecutable).findFirst();
    }

    static Browser start(Install install) {
        // Belt and braces: with the driver named here too, nothing asks Selenium Manager for one.
        System.setProperty("webdriver.chrome.driver", install.driver().toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("agentstream-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(install.browser().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
            "--password-store=basic", "--window-size=" + WIDE.width + "," + WIDE.height,
            "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(install.driver().toFile())
            .usingAnyFreePort()
            .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            deleteQuietly(profile);
            throw e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary profile: the system cleans its temporary folder eventually.
        }
    }
}
