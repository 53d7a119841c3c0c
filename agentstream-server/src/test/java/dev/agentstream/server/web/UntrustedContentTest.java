package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * Nothing a person or a model writes runs in the page: the person's text is text, the model's
 * Markdown is rendered and sanitised, raw markup in it is shown as text. (The demo model repeats
 * the message it got, so a message reaches the page both as the person's text and as model output.)
 */
class UntrustedContentTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    static final String IMG = "<img src=x onerror=alert(1)>";

    @Test
    void markupInAMessageRendersAsTextLiveAndFromHistory() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send(IMG);
        answer.awaitStatus("completed");

        assertLiteral(page, answer);

        page.reload();
        ChatPage.Answer fromHistory = page.lastAnswer();
        page.await().until(d -> fromHistory.text().contains(IMG));
        assertLiteral(page, fromHistory);
    }

    private static void assertLiteral(ChatPage page, ChatPage.Answer answer) {
        assertThat(page.lastUserText()).isEqualTo(IMG);
        assertThat(answer.text()).contains(IMG);
        assertThat(harness.driver().findElements(By.cssSelector("#transcript img"))).isEmpty();
        assertThat(page.script("return document.querySelectorAll('[onerror]').length")).isEqualTo(0L);
        assertThatThrownBy(() -> harness.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void modelMarkdownIsRenderedButScriptLinksAreNot() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("**bold** and `code` and [a link](javascript:alert(1))");
        answer.awaitStatus("completed");

        WebElement content = answer.content();
        assertThat(content.findElement(By.tagName("strong")).getText()).isEqualTo("bold");
        assertThat(content.findElement(By.tagName("code")).getText()).isEqualTo("code");
        for (WebElement link : content.findElements(By.tagName("a"))) {
            assertThat(String.valueOf(link.getDomAttribute("href"))).doesNotStartWithIgnoringCase("javascript");
        }
        assertThat(page.lastUserText()).startsWith("**bold**");
    }
}
