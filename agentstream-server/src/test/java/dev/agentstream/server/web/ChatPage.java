package dev.agentstream.server.web;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page as a person uses it: what they type and click, what they read. Selectors live here
 * only, so the tests read as behaviour. Every wait polls the DOM (no sleeps).
 */
final class ChatPage {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    static final By MESSAGE = By.id("message");
    static final By SEND = By.id("send");
    static final By STOP = By.id("stop");
    static final By ERRORS = By.cssSelector("#errors .banner-error");
    static final By APPROVAL = By.cssSelector("dialog.approval[open]");
    static final By API_KEY = By.cssSelector("dialog.api-key[open]");
    static final By CONFIRM = By.cssSelector("dialog.confirm[open]");
    static final By TURNS = By.cssSelector("#transcript > .turn");
    static final By LAST_ANSWER = By.cssSelector("#transcript > .turn:last-child > .msg.assistant");
    static final By LAST_USER = By.cssSelector("#transcript > .turn:last-child > .msg.user .bubble");

    private final WebDriver driver;
    private final URI base;

    ChatPage(WebDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    /** Loads the page and waits until it has started (agents and chats loaded). */
    ChatPage open() {
        driver.get(base.toString());
        return awaitReady();
    }

    /** Loads the page with a chat open, as a bookmark or a second tab would. */
    ChatPage open(String sessionId) {
        driver.get(base + "#session=" + sessionId);
        return awaitReady();
    }

    ChatPage reload() {
        driver.navigate().refresh();
        return awaitReady();
    }

    ChatPage awaitReady() {
        await().until(d -> "true".equals(d.findElement(By.id("app")).getDomAttribute("data-ready")));
        return this;
    }

    /** Clicks into the (empty) message box, types a message and presses Enter. */
    Answer send(String text) {
        int before = driver.findElements(TURNS).size();
        WebElement message = driver.findElement(MESSAGE);
        // A click, as a person would, rather than WebDriver's clear(): after a modal dialog closed,
        // Chromium ignores typing into a box that clear() focused by script.
        message.click();
        message.sendKeys(text, Keys.ENTER);
        await().until(d -> d.findElements(TURNS).size() > before);
        return lastAnswer();
    }

    WebElement messageBox() {
        return driver.findElement(MESSAGE);
    }

    Answer lastAnswer() {
        return new Answer(LAST_ANSWER);
    }

    String lastUserText() {
        return driver.findElement(LAST_USER).getDomProperty("textContent");
    }

    List<WebElement> turns() {
        return driver.findElements(TURNS);
    }

    void stop() {
        driver.findElement(STOP).click();
    }

    boolean stopShown() {
        return driver.findElement(STOP).isDisplayed();
    }

    boolean sendShown() {
        return driver.findElement(SEND).isDisplayed();
    }

    /** The chats in the side list, top to bottom, as their session ids. */
    List<String> sessionIds() {
        return strings("return [...document.querySelectorAll('#sessions > li.session')].map(li => li.dataset.sessionId)");
    }

    List<String> sessionTitles() {
        return strings("return [...document.querySelectorAll('#sessions .session-title')].map(e => e.textContent)");
    }

    /** Read in one script, so a list re-rendered meanwhile cannot leave a stale element behind. */
    private List<String> strings(String script) {
        return ((List<?>) script(script)).stream().map(String::valueOf).toList();
    }

    void awaitSessionIds(List<String> expected) {
        await().withMessage(() -> "sessions " + sessionIds() + " (expected: " + expected + ")")
            .until(d -> sessionIds().equals(expected));
    }

    void openSession(String sessionId) {
        driver.findElement(By.cssSelector("#sessions > li[data-session-id='" + sessionId + "'] .session-open")).click();
    }

    void deleteSession(String sessionId) {
        driver.findElement(By.cssSelector("#sessions > li[data-session-id='" + sessionId + "'] .session-delete")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(CONFIRM));
        driver.findElement(CONFIRM).findElement(By.cssSelector("button.confirm")).click();
    }

    void newChat() {
        driver.findElement(By.id("new-chat")).click();
    }

    List<String> errors() {
        return driver.findElements(ERRORS).stream().map(e -> e.getDomProperty("textContent")).toList();
    }

    WebElement awaitApprovalDialog() {
        return await().until(ExpectedConditions.visibilityOfElementLocated(APPROVAL));
    }

    void awaitNoApprovalDialog() {
        await().until(ExpectedConditions.numberOfElementsToBe(APPROVAL, 0));
    }

    WebElement awaitApiKeyDialog() {
        return await().until(ExpectedConditions.visibilityOfElementLocated(API_KEY));
    }

    void awaitNoApiKeyDialog() {
        await().until(ExpectedConditions.numberOfElementsToBe(API_KEY, 0));
    }

    /** The agents the picker offers, as option values (their ids). */
    List<String> targets() {
        return driver.findElements(By.cssSelector("#target option")).stream().map(e -> e.getDomAttribute("value")).toList();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** A new wait (a wait's message sticks to it, so none is shared between questions). */
    WebDriverWait await() {
        WebDriverWait wait = new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(25));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The answer of one run, found anew for every look (the page may re-render it). */
    final class Answer {
        private final By locator;

        Answer(By locator) {
            this.locator = locator;
        }

        WebElement element() {
            return driver.findElement(locator);
        }

        String status() {
            return element().getDomAttribute("data-status");
        }

        String runId() {
            return element().getDomAttribute("data-run-id");
        }

        long lastSeq() {
            return Long.parseLong(element().getDomAttribute("data-last-seq"));
        }

        int gaps() {
            return Integer.parseInt(element().getDomAttribute("data-gaps"));
        }

        int duplicates() {
            return Integer.parseInt(element().getDomAttribute("data-duplicates"));
        }

        boolean contentReplaced() {
            return Boolean.parseBoolean(element().getDomAttribute("data-content-replaced"));
        }

        /** The seq the page resumed after, or null if it never had to. */
        String resumedAfter() {
            return element().getDomAttribute("data-resumed-after");
        }

        WebElement content() {
            return element().findElement(By.cssSelector(":scope > .content"));
        }

        /** The answer's text as the page holds it (not only what is scrolled into view). */
        String text() {
            return content().getDomProperty("textContent");
        }

        int words() {
            String text = text().strip();
            return text.isEmpty() ? 0 : text.split("\\s+").length;
        }

        String note() {
            return element().findElement(By.cssSelector(":scope > .run-note")).getDomProperty("textContent");
        }

        WebElement reasoning() {
            return element().findElement(By.cssSelector(":scope > details.reasoning"));
        }

        List<WebElement> toolCards() {
            return element().findElements(By.cssSelector(":scope > .tools > .tool-card"));
        }

        WebElement toolCard(String toolName) {
            return element().findElement(By.cssSelector(":scope > .tools > .tool-card[data-tool-name='" + toolName + "']"));
        }

        String runId(String orEmpty) {
            String id = runId();
            return id == null || id.isEmpty() ? orEmpty : id;
        }

        Answer awaitStatus(String... statuses) {
            List<String> wanted = Arrays.asList(statuses);
            await().withMessage(() -> "answer status " + safeStatus() + " (expected one of " + wanted + ")")
                .until(d -> wanted.contains(safeStatus()));
            return this;
        }

        Answer awaitWords(int atLeast) {
            await().withMessage(() -> "answer words " + words() + " (expected: >= " + atLeast + ")")
                .until(d -> words() >= atLeast);
            return this;
        }

        Answer awaitRunId() {
            await().until(d -> !runId("").isEmpty());
            return this;
        }

        private String safeStatus() {
            List<WebElement> found = driver.findElements(locator);
            return found.isEmpty() ? "(no answer)" : found.get(0).getDomAttribute("data-status");
        }
    }
}
