package io.sessionflow.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A change to a session; null fields are left as they are. {@code mergeState} merges instead of replacing. */
public record SessionPatch(String sessionName, ObjectNode sessionState, boolean mergeState, ObjectNode metadata) {
}
