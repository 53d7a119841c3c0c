package dev.agentstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** A run that pauses for approval asks in a dialog, and continues in place with the decision. */
class ApprovalTest {

    @RegisterExtension
    static final PageHarness harness = PageHarness.withDemoModel();

    @Test
    void approvingInTheDialogRunsTheToolAndCompletesTheRun() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("email bob@example.com hi there");

        WebElement dialog = page.awaitApprovalDialog();
        assertThat(dialog.findElement(By.tagName("h3")).getText()).contains("send_email");
        assertThat(dialog.findElement(By.className("req-args")).getDomProperty("textContent"))
            .contains("\"to\": \"bob@example.com\"");
        assertThat(answer.status()).isEqualTo("paused");
        assertThat(answer.toolCard("send_email").getDomAttribute("data-state")).isEqualTo("waiting");

        dialog.findElement(By.cssSelector("button.approve")).click();
        page.awaitNoApprovalDialog();
        answer.awaitStatus("completed");

        assertThat(page.turns()).hasSize(1);
        assertThat(answer.toolCard("send_email").getDomAttribute("data-state")).isEqualTo("done");
        assertThat(answer.text()).contains("The email to bob@example.com was sent.");
        assertThat(answer.gaps()).isZero();
        assertThat(answer.duplicates()).isZero();
        JsonNode run = harness.server().getJson("/v1/runs/" + answer.runId(), 200);
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void rejectingWithANoteTellsTheAgentAndTheEmailIsNotSent() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("email carol@example.com lunch?");

        WebElement dialog = page.awaitApprovalDialog();
        dialog.findElement(By.cssSelector("input.note")).sendKeys("not today");
        dialog.findElement(By.cssSelector("button.reject")).click();
        page.awaitNoApprovalDialog();
        answer.awaitStatus("completed");

        assertThat(answer.toolCard("send_email").getDomAttribute("data-state")).isEqualTo("rejected");
        assertThat(answer.text()).contains("The email was not sent");
    }

    @Test
    void aPausedRunAsksAgainAfterAReload() {
        ChatPage page = harness.page().open();
        ChatPage.Answer answer = page.send("email dave@example.com report");
        page.awaitApprovalDialog();
        answer.awaitStatus("paused");

        page.reload();
        WebElement dialog = page.awaitApprovalDialog();
        assertThat(dialog.findElement(By.className("req-args")).getDomProperty("textContent")).contains("dave@example.com");
        dialog.findElement(By.cssSelector("button.approve")).click();
        page.awaitNoApprovalDialog();

        page.lastAnswer().awaitStatus("completed");
        assertThat(page.lastAnswer().text()).contains("The email to dave@example.com was sent.");
        assertThat(page.lastUserText()).isEqualTo("email dave@example.com report");
    }
}
