package io.sessionflow.store.memory;

/**
 * Which of a user's memories to list: those with a topic, and/or whose text contains a substring
 * (case-insensitive); page from 1, newest update first.
 */
public record MemoryQuery(String topic, String text, int page, int limit) {

    public static final int MAX_LIMIT = 200;

    public MemoryQuery {
        if (page < 1) {
            throw new IllegalArgumentException("page must be >= 1");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        topic = topic == null || topic.isBlank() ? null : topic.strip().toLowerCase(java.util.Locale.ROOT);
        text = text == null || text.isBlank() ? null : text.strip();
    }
}
