package io.sessionflow.store.memory;

import java.util.List;

/** One page of a user's memories and how many match in all. */
public record MemoryPage(List<UserMemory> memories, long total) {

    public MemoryPage {
        memories = List.copyOf(memories);
    }
}
