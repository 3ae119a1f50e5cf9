package io.sessionflow.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What {@code sessions.changed} carries: a session's derived data was updated. The {@code type} field tells which. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SummaryUpdated.class, name = "summary_updated"),
        @JsonSubTypes.Type(value = ContextUpdated.class, name = "context_updated")})
public sealed interface SessionChanged permits SummaryUpdated, ContextUpdated {

    String sessionId();

    int upToRunIndex();
}
