package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The page fits a phone and a desktop: on a narrow screen the chat list hides behind a button, on a
 * wide one it stays beside the conversation. The wide view is saved as {@code target/screenshots/page.png}
 * (the README's picture, copied to {@code docs/screenshot.png}).
 */
class LayoutTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    static final Dimension PHONE = new Dimension(390, 844);

    @Test
    void onAPhoneTheChatListOpensFromAButtonAndClosesOnChoosingAChat() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("calculate 1+1");
        answer.awaitStatus("completed");
        WebDriver driver = harness.driver();
        driver.manage().window().setSize(PHONE);

        WebElement sidebar = driver.findElement(By.id("sidebar"));
        WebElement toggle = driver.findElement(By.id("toggle-sidebar"));
        page.await().until(d -> !sidebar.isDisplayed());
        assertThat(toggle.isDisplayed()).isTrue();
        assertThat(page.messageBox().isDisplayed()).isTrue();
        assertFitsWidth(driver);

        toggle.click();
        page.await().until(d -> sidebar.isDisplayed());
        assertThat(toggle.getDomAttribute("aria-expanded")).isEqualTo("true");
        String sessionId = harness.server().getJson("/v1/runs/" + answer.runId(), 200).path("session_id").asText();
        page.openSession(sessionId);
        page.await().until(d -> !sidebar.isDisplayed() && page.lastAnswer().text().contains("The result of 1+1 is 2."));
        harness.screenshot("page-phone");
    }

    @Test
    void onAWideScreenTheChatListStaysBesideTheConversation() throws IOException {
        for (String earlier : new String[] {"story 30", "time"}) {
            harness.server().post("/v1/agents/assistant/runs", "{\"message\":\"" + earlier + "\",\"stream\":false}");
        }
        WebDriver driver = harness.driver();
        driver.manage().window().setSize(new Dimension(1100, 820));
        ChatPage page = harness.page().open();
        page.send("calculate (12+30)*2").awaitStatus("completed");
        page.send("think about streaming").awaitStatus("completed");

        assertThat(driver.findElement(By.id("sidebar")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("toggle-sidebar")).isDisplayed()).isFalse();
        assertThat(page.sessionIds()).hasSizeGreaterThanOrEqualTo(3);
        assertFitsWidth(driver);

        page.script("document.querySelector('#transcript').scrollTop = 0");
        Path shot = harness.screenshot("page");
        assertThat(Files.size(shot)).isPositive();
    }

    private static void assertFitsWidth(WebDriver driver) {
        Object overflow = ((org.openqa.selenium.JavascriptExecutor) driver)
            .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).longValue()).isLessThanOrEqualTo(0L);
    }
}
