package io.sessionflow.store.run;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A run's status; {@code paused}: it waits for tool results or approvals, holding no worker (not finished). */
public enum RunStatus {
    PENDING, RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
