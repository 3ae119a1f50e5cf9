package io.sessionflow.store.memory;

import java.util.List;

/**
 * What applying operations changed: the ids added, updated and deleted, and the profile's new version
 * (null when the profile did not change). {@link #applied()} is false when a batch was already covered
 * (a redelivery, or another worker got there first) and nothing was written.
 */
public record MemoryChanges(boolean applied, List<String> added, List<String> updated, List<String> deleted, Long profileVersion) {

    public static final MemoryChanges NOT_APPLIED = new MemoryChanges(false, List.of(), List.of(), List.of(), null);

    public MemoryChanges {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        deleted = List.copyOf(deleted);
    }

    public boolean isEmpty() {
        return added.isEmpty() && updated.isEmpty() && deleted.isEmpty() && profileVersion == null;
    }
}
