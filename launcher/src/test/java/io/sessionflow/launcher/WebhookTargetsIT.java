package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks cannot reach internal addresses (SSRF): refused at submission, and again at delivery,
 * for URLs that never passed the submission check. The test pipeline allows only the name
 * {@code localhost}, so the same loopback receiver is refused as {@code 127.0.0.1} and reached as
 * {@code localhost}.
 */
@PipelineIT
class WebhookTargetsIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final List<String> received = new CopyOnWriteArrayList<>();

    WebhookTargetsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }
    private HttpServer receiver;
    private int port;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(Json.MAPPER.readTree(body).path("run").path("run_id").asText());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        port = receiver.getAddress().getPort();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void shouldRefuseInternalAndUnresolvableWebhookTargetsAtSubmission() {
        for (String url : List.of("http://127.0.0.1:" + port + "/hook",
                "http://[::1]:" + port + "/hook", "http://[::ffff:127.0.0.1]:" + port + "/hook", "http://0.0.0.0:" + port + "/hook",
                "http://10.0.0.1/hook", "http://172.16.5.4/hook", "http://192.168.1.1/hook", "http://169.254.169.254/latest/meta-data/",
                "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://224.0.0.1/hook", "https://no-such-host.invalid/hook")) {
            long runs = rows.totalRuns();
            long published = TopicReader.endOffsetSum(pipeline.kafka, pipeline.kafka.topics().runsRequested().name());

            GatewayClient.Response response = pipeline.client.post("/v1/agents/personal-assistant/runs",
                    Json.toText(Json.object().put("message", "ssrf").put("webhook_url", url)));

            assertThat(response.status()).as(url).isEqualTo(400);
            JsonNode error = response.body().path("error");
            assertThat(error.path("field").asText()).as(url).isEqualTo("webhook_url");
            assertThat(error.path("message").asText()).as(url).startsWith("webhook_url is refused: host '");
            assertThat(rows.totalRuns()).isEqualTo(runs);
            assertThat(TopicReader.endOffsetSum(pipeline.kafka, pipeline.kafka.topics().runsRequested().name())).isEqualTo(published);
        }
        assertThat(received).isEmpty();
    }

    @Test
    void shouldDeliverToAHostTheOperatorAllowed() {
        JsonNode run = pipeline.client.run("agents", "personal-assistant", SessionSemanticsIT.body("user_1",
                SessionSemanticsIT.newId("allowed-hook"), "deliver me", null).put("webhook_url", "http://localhost:" + port + "/hook")).body();

        String runId = run.path("run_id").asText();
        Eventually.await("the webhook arrives", Duration.ofSeconds(30), () -> received.contains(runId));
    }

    /**
     * A URL that never passed the gateway's check (an external producer's request; equally a host
     * whose DNS answer changed after submission) is checked again when it is delivered: never sent,
     * dead-lettered with the reason, and the dispatcher goes on.
     */
    @Test
    void shouldNotDeliverToARefusedTargetThatBypassedTheSubmissionCheck() {
        String session = SessionSemanticsIT.newId("bypass-hook");
        Topic<RunRequested> requests = pipeline.kafka.topics().runsRequested();
        RunRequested refused = request(session, "http://127.0.0.1:" + port + "/hook");
        RunRequested allowed = request(session, "http://localhost:" + port + "/hook");
        try (KafkaProducer<String, byte[]> producer = pipeline.kafka.producer("webhook-targets-test")) {
            producer.send(new ProducerRecord<>(requests.name(), session, requests.serialize(refused)));
            producer.send(new ProducerRecord<>(requests.name(), session, requests.serialize(allowed)));
        }

        Eventually.await("the allowed run's webhook, after the refused one", Duration.ofSeconds(60), () -> received.contains(allowed.runId()));
        List<ConsumerRecord<String, byte[]>> letters = TopicReader.readUntil(pipeline.kafka,
                pipeline.kafka.topics().webhooksDeadLetter().name(), Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> refused.runId().equals(header(r, "sessionflow.run_id"))));
        ConsumerRecord<String, byte[]> letter = letters.stream().filter(r -> refused.runId().equals(header(r, "sessionflow.run_id"))).findFirst()
                .orElseThrow();

        assertThat(received).doesNotContain(refused.runId());
        assertThat(header(letter, "sessionflow.webhook.reason")).startsWith("refused target: host '127.0.0.1' is a loopback address");
        assertThat(header(letter, "sessionflow.webhook.attempts")).isEqualTo("0");
        assertThat(Json.parse(new String(letter.value(), StandardCharsets.UTF_8)).path("run").path("run_id").asText()).isEqualTo(refused.runId());
    }

    private static RunRequested request(String session, String webhookUrl) {
        return RunRequested.of(ComponentType.AGENT, "personal-assistant", session, "user_1", "webhook " + webhookUrl)
                .withWebhookUrl(webhookUrl);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
