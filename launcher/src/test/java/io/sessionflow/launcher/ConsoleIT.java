package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs), against the real gateway, broker and Postgres: sign in, the sessions list,
 * a session's state and conversation, a live streamed run, the usage chart, and a user key kept to its own.
 * Skipped where no Chromium is installed.
 */
@PipelineIT
class ConsoleIT {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private final TestPipeline pipeline;
    private WebDriver browser;
    private WebDriverWait wait;

    ConsoleIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @BeforeEach
    void openBrowser() throws Exception {
        assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(), "Chromium and chromedriver are not installed");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.getPath()).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory("sessionflow-console-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void signIn(String key) {
        browser.get(pipeline.gateway.url() + "/console");
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        field.sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
    }

    private void open(String hash) {
        browser.get(pipeline.gateway.url() + "/console" + hash);
    }

    private JsonNode run(String user, String sessionId, String message, String stateMarker) {
        var body = Json.object().put("message", message).put("user_id", user).put("session_id", sessionId);
        body.putObject("session_state").put("console_marker", stateMarker);
        GatewayClient.Response response = pipeline.client.post("/v1/agents/chat-with-history/runs?wait=true", Json.toText(body));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void shouldShowSessionsAndTheirStateAndConversationAndStreamALiveRun() {
        String session = SessionSemanticsIT.newId("console");
        String marker = UUID.randomUUID().toString();
        run("alice", session, "Hello console " + marker, marker);

        signIn(TestPipeline.ADMIN_KEY);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "admin"));
        open("#/sessions?user_id=alice&component_id=chat-with-history&sort_by=created_at&sort_order=desc");
        WebElement link = wait.until(ExpectedConditions.elementToBeClickable(By.linkText(session)));
        link.click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), marker));
        assertThat(browser.findElement(By.id("state")).getText()).contains("\"console_marker\": \"" + marker + "\"");
        String conversation = browser.findElement(By.id("conversation")).getText();
        assertThat(conversation).contains("Hello console " + marker);
        String storedAnswer = pipeline.client.get("/v1/sessions/" + session + "/runs").body().path("items").get(0).path("content").asText();
        assertThat(conversation).contains(storedAnswer.lines().findFirst().orElseThrow());

        // A live run in the same session, streamed into the page.
        browser.findElement(By.linkText("Continue this session")).click();
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("message")));
        message.sendKeys("And again " + marker);
        browser.findElement(By.cssSelector("#send-run button[type=submit]")).click();
        try {
            wait.until(ExpectedConditions.attributeToBe(By.id("run-status"), "data-finished", "run_completed"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the live run did not finish in the page; it shows: " + browser.findElement(By.id("main")).getText(), e);
        }
        JsonNode latest = pipeline.client.get("/v1/sessions/" + session + "/runs").body().path("items").get(0);
        assertThat(latest.path("input").path("message").asText()).isEqualTo("And again " + marker);
        assertThat(browser.findElement(By.id("answer")).getText()).isEqualTo(latest.path("content").asText().strip());
    }

    @Test
    void shouldChartUsageAndKeepAUserKeyToItsOwnSessions() {
        String aliceSession = SessionSemanticsIT.newId("console-alice");
        run("alice", aliceSession, "Alice's private question", "a");
        String bobSession = SessionSemanticsIT.newId("console-bob");
        run("bob", bobSession, "Bob's question", "b");

        signIn(TestPipeline.keyFor("bob"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "user bob"));
        open("#/sessions?component_id=chat-with-history");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(bobSession)));
        assertThat(browser.findElements(By.linkText(aliceSession))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("a[href='#/jobs']")).isDisplayed()).isFalse();

        open("#/session/" + aliceSession);
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
        assertThat(error.getText()).contains("not found");

        // Usage is counted a moment after the run finishes: the page is reloaded until the chart is there.
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(driver -> {
            open("#/usage?granularity=day&r=" + System.nanoTime());
            return !driver.findElements(By.cssSelector("#usage-chart rect")).isEmpty();
        });
        assertThat(browser.findElement(By.id("usage-totals")).getText()).contains("runs");
    }

    @Test
    void shouldShowTheApisErrorForAWrongKey() {
        signIn("not-a-key");
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
        assertThat(error.getText()).isNotBlank();
        assertThat(browser.findElement(By.id("api-key")).isDisplayed()).isTrue();
    }
}
