package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.client.ClientJson;
import io.sessionflow.client.kafka.RunCompletedEvent;
import io.sessionflow.client.kafka.RunFailedEvent;
import io.sessionflow.client.kafka.RunRequestedEvent;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunFailed;
import io.sessionflow.event.RunMetrics;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The client keeps its own copies of the public event records (shared pulls Postgres, Flyway and the
 * models). Each side reads what the other writes, field for field, so the copies cannot drift apart.
 */
class ClientEventsCompatibilityTest {

    private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

    @Test
    void shouldWriteARunRequestTheRunWorkerReadsFieldForField() throws Exception {
        RunRequestedEvent sent = RunRequestedEvent.forAgent("chat-with-history", "s-1", "user_1", "hello")
                .withState(ClientJson.MAPPER.createObjectNode().put("a", 1), true);

        RunRequested read = Json.MAPPER.readValue(ClientJson.MAPPER.writeValueAsBytes(sent), RunRequested.class);

        assertThat(read.schemaVersion()).isEqualTo(RunRequested.SCHEMA_VERSION).isEqualTo(RunRequestedEvent.SCHEMA_VERSION);
        assertThat(read.runId()).isEqualTo(sent.runId());
        assertThat(read.sessionId()).isEqualTo("s-1");
        assertThat(read.userId()).isEqualTo("user_1");
        assertThat(read.componentType()).isEqualTo(ComponentType.AGENT);
        assertThat(read.componentId()).isEqualTo("chat-with-history");
        assertThat(read.input().message()).isEqualTo("hello");
        assertThat(read.sessionState()).isEqualTo(Json.object().put("a", 1));
        assertThat(read.overwriteSessionState()).isTrue();
        assertThat(read.requestedAt()).isEqualTo(sent.requestedAt());
        // and nothing the server writes is lost on the way back
        assertThat(tree(ClientJson.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(read), RunRequestedEvent.class)))
                .isEqualTo(tree(Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(read), RunRequested.class)));
    }

    @Test
    void shouldReadEveryFieldOfTheOutcomesTheRunWorkerWrites() throws Exception {
        RunRequested request = RunRequested.of(ComponentType.TEAM, "research-team", "s-1", "user_1", "hi")
                .withRunId("r-1").withSessionState(Json.object(), false).withOverrides(new RunOverrides(true, 3, null, false))
                .withRequestedAt(AT).withWebhookUrl("https://example.com/hook");
        RunCompleted completed = RunCompleted.of(request, 4, "the answer", "local", new RunMetrics(1, 2, 3, 4, 5, 6), AT.plusSeconds(1));
        RunFailed failed = RunFailed.of(request, "cancelled", "cancelled by the user", AT.plusSeconds(2));

        assertThat(tree(ClientJson.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(request), RunRequestedEvent.class))).isEqualTo(tree(request));
        assertThat(tree(ClientJson.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(completed), RunCompletedEvent.class))).isEqualTo(tree(completed));
        assertThat(tree(ClientJson.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(failed), RunFailedEvent.class))).isEqualTo(tree(failed));
    }

    /** Through the bytes, so that a number is compared by value and not by the Java type each record holds it in. */
    private static JsonNode tree(Object value) throws Exception {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(value));
    }
}
