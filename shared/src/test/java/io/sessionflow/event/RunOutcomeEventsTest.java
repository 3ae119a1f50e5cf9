package io.sessionflow.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunOutcomeEventsTest {

    private static final Instant REQUESTED = Instant.parse("2025-01-02T03:04:05.123Z");
    private static final Instant ENDED = Instant.parse("2025-01-02T03:04:07.456Z");

    private static RunRequested request() {
        return RunRequested.of(ComponentType.TEAM, "research-team", "session-1", "user-1", "What is my name?")
                .withRunId("run-1").withSessionState(Json.object(), false).withRequestedAt(REQUESTED);
    }

    @Test
    void shouldCarryTheRequestIntoTheCompletedEvent() {
        RunMetrics metrics = new RunMetrics(10, 20, 300, 2333, 5, 7);

        RunCompleted event = RunCompleted.of(request(), 3, "John", "synthetic", metrics, ENDED);

        assertThat(Json.toText(event)).isEqualTo("{\"schema_version\":1,\"run_id\":\"run-1\",\"session_id\":\"session-1\","
                + "\"user_id\":\"user-1\",\"component_type\":\"team\",\"component_id\":\"research-team\",\"run_index\":3,"
                + "\"input\":{\"message\":\"What is my name?\"},\"content\":\"John\",\"model\":\"synthetic\",\"metrics\":"
                + Json.toText(metrics) + ",\"requested_at\":\"2025-01-02T03:04:05.123Z\",\"completed_at\":\"2025-01-02T03:04:07.456Z\"}");
    }

    @Test
    void shouldCarryTheRequestIntoTheFailedEvent() {
        RunFailed event = RunFailed.of(request(), "cancelled", "session session-1 was deleted", ENDED);

        assertThat(Json.toText(event)).isEqualTo("{\"schema_version\":1,\"run_id\":\"run-1\",\"session_id\":\"session-1\","
                + "\"user_id\":\"user-1\",\"component_type\":\"team\",\"component_id\":\"research-team\",\"status\":\"cancelled\","
                + "\"error\":\"session session-1 was deleted\",\"requested_at\":\"2025-01-02T03:04:05.123Z\","
                + "\"failed_at\":\"2025-01-02T03:04:07.456Z\"}");
    }
}
