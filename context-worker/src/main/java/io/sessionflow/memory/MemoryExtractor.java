package io.sessionflow.memory;

import io.sessionflow.store.memory.UserMemory;
import io.sessionflow.store.memory.UserProfile;
import io.sessionflow.store.memory.UserTurn;
import java.util.List;
import java.util.Optional;

/** Compares new turns with a user's memories and decides add / update / delete operations (and profile changes). */
interface MemoryExtractor {

    /** @return the decision, or empty when no valid one could be made (the stored memories are then left as they are) */
    Optional<MemoryDecision> extract(List<UserMemory> existing, UserProfile profile, List<UserTurn> newTurns, boolean withProfile);
}
