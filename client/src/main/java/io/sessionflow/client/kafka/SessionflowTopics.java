package io.sessionflow.client.kafka;

import java.util.Objects;

/** The public topics' names under a deployment's prefix (SESSIONFLOW_TOPIC_PREFIX, default {@value #DEFAULT_PREFIX}). */
public record SessionflowTopics(String prefix) {

    public static final String DEFAULT_PREFIX = "sessionflow.";
    public static final SessionflowTopics DEFAULT = new SessionflowTopics(DEFAULT_PREFIX);

    public SessionflowTopics {
        Objects.requireNonNull(prefix, "null topic prefix");
    }

    public String runsRequested() {
        return prefix + "runs.requested";
    }

    public String runsCompleted() {
        return prefix + "runs.completed";
    }

    public String runsFailed() {
        return prefix + "runs.failed";
    }
}
