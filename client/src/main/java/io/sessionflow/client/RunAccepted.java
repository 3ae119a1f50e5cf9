package io.sessionflow.client;

/** A run accepted onto Kafka (HTTP 202): stored as pending, not yet executed. */
public record RunAccepted(String runId, String sessionId, String status) {
}
