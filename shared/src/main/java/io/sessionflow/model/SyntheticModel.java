package io.sessionflow.model;

import java.time.Duration;
import java.util.List;

/**
 * The benchmark's model: it answers a fixed short text after a set latency and nothing else. It
 * stands for a remote model's wait, not its work, and says so in its id and its answer.
 */
public final class SyntheticModel implements ChatModel {

    public static final String ANSWER = "[synthetic benchmark model: fixed answer after a set latency, not an LLM]";

    private final Duration latency;

    public SyntheticModel(Duration latency) {
        this.latency = latency;
    }

    @Override
    public String id() {
        return "synthetic:" + latency.toMillis() + "ms";
    }

    @Override
    public ModelReply complete(List<ChatMessage> messages) {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelException("synthetic model interrupted", false, e);
            }
        }
        long in = messages.stream().mapToLong(m -> m.content().length() / 4 + 1).sum();
        return new ModelReply(ANSWER, in, 16);
    }

    /** A fixed, schema-valid object for the summary and context schemas (null planning fields: "unchanged"). */
    @Override
    public ModelReply completeJson(List<ChatMessage> messages, String schemaName, com.fasterxml.jackson.databind.node.ObjectNode schema) {
        ModelReply plain = complete(messages);
        String json = schema.path("properties").has("topics")
                ? "{\"summary\": \"" + ANSWER + "\", \"topics\": [\"benchmark\"]}"
                : "{\"summary\": \"" + ANSWER + "\", \"goal\": null, \"plan\": null, \"progress\": null}";
        return new ModelReply(json, plain.inputTokens(), plain.outputTokens());
    }
}
