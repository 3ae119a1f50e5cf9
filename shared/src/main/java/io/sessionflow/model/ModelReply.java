package io.sessionflow.model;

import java.util.Objects;

/** A model's answer and the tokens it reported. */
public record ModelReply(String content, long inputTokens, long outputTokens) {
    public ModelReply {
        Objects.requireNonNull(content, "null content");
    }
}
