package io.sessionflow.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.store.memory.MemoryOp;
import java.util.List;

/** What an extractor decided from new turns: operations on the user's memories and a profile merge patch (null: none). */
public record MemoryDecision(List<MemoryOp> ops, ObjectNode profilePatch) {

    public MemoryDecision {
        ops = List.copyOf(ops);
    }
}
