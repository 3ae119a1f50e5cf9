package io.sessionflow.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts deleted sessions by why they were deleted: {@code sessionflow_sessions_deleted_total{reason}}. */
public final class SessionDeletions {

    private final MeterRegistry registry;

    SessionDeletions(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param reason {@code api} (by id), {@code purge} (the admin filter) or {@code retention} (the sweeper) */
    public void deleted(String reason, int count) {
        Counter.builder("sessionflow.sessions.deleted").description("sessions deleted, by reason").tag("reason", reason)
                .register(registry).increment(count);
    }
}
