package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** With API keys on, the page asks for a key once and keeps it in the browser. */
class ApiKeyTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel(b -> b.apiKeys("alice:alice-secret-key"));

    @Test
    void thePageAsksForAKeyUntilOneWorksThenKeepsIt() {
        ChatPage page = harness.page();
        harness.driver().get(harness.server().uri("/").toString());

        enterKey(page.awaitApiKeyDialog(), "wrong-key");
        WebElement again = page.awaitApiKeyDialog();
        page.await().until(d -> again.getText().contains("not accepted"));
        enterKey(again, "alice-secret-key");
        page.awaitNoApiKeyDialog();
        page.awaitReady();
        assertThat(page.targets()).contains("assistant");

        ChatPage.Answer answer = page.send("calculate 6*7");
        answer.awaitStatus("completed");
        assertThat(answer.text()).contains("42");

        page.reload();
        assertThat(harness.driver().findElements(ChatPage.API_KEY)).isEmpty();
        page.await().until(d -> page.sessionIds().size() == 1);
        assertThat(harness.driver().findElement(By.id("forget-key")).isDisplayed()).isTrue();
    }

    private static void enterKey(WebElement dialog, String key) {
        WebElement input = dialog.findElement(By.cssSelector("input[type=password]"));
        input.clear();
        input.sendKeys(key, Keys.ENTER);
    }
}
