package io.sessionflow.event;

import java.util.Objects;

/** What the user sent. A record of its own so that attachments can join the message later. */
public record RunInput(String message) {
    public RunInput {
        Objects.requireNonNull(message, "input.message is required");
        StorableText.require("input.message", message);
    }
}
