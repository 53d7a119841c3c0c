package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The composer works from the keyboard: Enter sends, Shift+Enter starts a new line. */
class KeyboardTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    @Test
    void shiftEnterStartsANewLineAndEnterSends() {
        ChatPage page = harness.page().open();
        WebElement box = page.messageBox();
        assertThat(harness.driver().switchTo().activeElement()).isEqualTo(box);

        box.sendKeys("first line", Keys.chord(Keys.SHIFT, Keys.ENTER), "second line");
        assertThat(page.turns()).isEmpty();
        assertThat(box.getDomProperty("value")).isEqualTo("first line\nsecond line");

        box.sendKeys(Keys.ENTER);
        page.await().until(d -> page.turns().size() == 1);
        assertThat(page.lastUserText()).isEqualTo("first line\nsecond line");
        assertThat(box.getDomProperty("value")).isEmpty();
        page.lastAnswer().awaitStatus("completed");
    }

    @Test
    void enterOnAnEmptyBoxSendsNothing() {
        ChatPage page = harness.page().open();
        page.messageBox().sendKeys("   ", Keys.ENTER);
        assertThat(page.turns()).isEmpty();
        assertThat(page.errors()).isEmpty();
    }
}
