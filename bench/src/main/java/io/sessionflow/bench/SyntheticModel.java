package io.sessionflow.bench;

import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelException;
import io.sessionflow.model.ModelReply;
import java.time.Duration;
import java.util.List;

/**
 * The benchmark's model: it answers a fixed short text after a set latency and nothing else. It
 * stands for a remote model's wait, not its work, and says so in its id and its answer.
 */
final class SyntheticModel implements ChatModel {

    static final String ANSWER = "[synthetic benchmark model: fixed answer after a set latency, not an LLM]";

    private final Duration latency;

    SyntheticModel(Duration latency) {
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

    /**
     * A fixed, schema-valid object for the summary, context and memory schemas (null planning fields:
     * "unchanged"; one memory added, so that extraction writes as it would, no profile).
     */
    @Override
    public ModelReply completeJson(List<ChatMessage> messages, String schemaName, com.fasterxml.jackson.databind.node.ObjectNode schema) {
        ModelReply plain = complete(messages);
        com.fasterxml.jackson.databind.JsonNode properties = schema.path("properties");
        String json;
        if (properties.has("operations")) {
            json = "{\"operations\": [{\"op\": \"add\", \"memory_id\": null, \"memory\": \"" + ANSWER
                    + "\", \"topics\": [\"benchmark\"], \"run_index\": null}], \"profile\": null}";
        } else if (properties.has("topics")) {
            json = "{\"summary\": \"" + ANSWER + "\", \"topics\": [\"benchmark\"]}";
        } else {
            json = "{\"summary\": \"" + ANSWER + "\", \"goal\": null, \"plan\": null, \"progress\": null}";
        }
        return new ModelReply(json, plain.inputTokens(), plain.outputTokens());
    }
}
