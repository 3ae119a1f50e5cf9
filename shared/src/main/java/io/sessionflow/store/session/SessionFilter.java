package io.sessionflow.store.session;

import io.sessionflow.event.ComponentType;
import java.time.Instant;

/**
 * What {@code GET /v1/sessions} may filter, sort and page by. Every field is optional (null). The
 * name filter is a case-insensitive substring; each range's start is inclusive, its end exclusive.
 */
public record SessionFilter(String userId, ComponentType sessionType, String componentId, String nameContains,
                            Instant createdFrom, Instant createdTo, SortBy sortBy, boolean ascending, int page, int limit,
                            Instant updatedFrom, Instant updatedTo) {

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

    /** A filter without an updated-at range. */
    public SessionFilter(String userId, ComponentType sessionType, String componentId, String nameContains,
                         Instant createdFrom, Instant createdTo, SortBy sortBy, boolean ascending, int page, int limit) {
        this(userId, sessionType, componentId, nameContains, createdFrom, createdTo, sortBy, ascending, page, limit, null, null);
    }

    long offset() {
        return (long) (page - 1) * limit;
    }
}
