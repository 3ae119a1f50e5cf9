package io.sessionflow.client.kafka;

import java.time.Instant;

/** {@code runs.failed}: the run ended as failed or cancelled and the session state is unchanged. The client's copy of {@code RunFailed}. */
public record RunFailedEvent(int schemaVersion, String runId, String sessionId, String userId, String componentType, String componentId,
                             String status, String error, Instant requestedAt, Instant failedAt) implements RunOutcome {

    public static final int SCHEMA_VERSION = 1;
}
