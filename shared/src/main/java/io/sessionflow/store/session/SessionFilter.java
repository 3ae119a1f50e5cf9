package io.sessionflow.store.session;

import io.sessionflow.event.ComponentType;
import java.time.Instant;

/**
 * What {@code GET /v1/sessions} may filter, sort and page by. Every field is optional (null). The
 * name filter is a case-insensitive substring; {@code from} is inclusive, {@code to} exclusive.
 */
public record SessionFilter(String userId, ComponentType sessionType, String componentId, String nameContains,
                            Instant createdFrom, Instant createdTo, SortBy sortBy, boolean ascending, int page, int limit) {

    public enum SortBy {
        CREATED_AT("created_at"), UPDATED_AT("updated_at");

        /** The column: chosen from this enum, never from the caller's text. */
        final String column;

        SortBy(String column) {
            this.column = column;
        }
    }

    public SessionFilter {
        if (page < 1 || limit < 1) {
            throw new IllegalArgumentException("page and limit start at 1");
        }
    }

    long offset() {
        return (long) (page - 1) * limit;
    }
}
