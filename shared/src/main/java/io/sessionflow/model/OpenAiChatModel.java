package io.sessionflow.model;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonValue;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.sessionflow.config.ModelSettings;
import java.util.List;
import java.util.Objects;

/**
 * A chat-completions client for any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp
 * server...), built on the official OpenAI Java SDK rather than hand-written HTTP: the SDK keeps up
 * with the wire format, retries with backoff and honours {@code Retry-After}.
 */
public final class OpenAiChatModel implements ChatModel {

    private final String modelId;
    private final OpenAIClient client;

    public OpenAiChatModel(String modelId, ModelSettings settings) {
        this.modelId = Objects.requireNonNull(modelId, "null model id");
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
                .baseUrl(settings.openAiBaseUrl())
                .timeout(settings.timeout())
                // The SDK retries one HTTP call (a reset connection, a 429 or 5xx) with its own short pauses, within
                // the call's timeout: cheaper than a whole attempt of the run. What outlasts it is the run's to retry,
                // with the project's Backoff (RunProcessor). OPENAI_MAX_RETRIES=0 leaves every retry to the run.
                .maxRetries(settings.maxRetries());
        // Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
        builder.apiKey(settings.openAiApiKey() == null ? "not-needed" : settings.openAiApiKey());
        this.client = builder.build();
    }

    /** The provider's Retry-After, in seconds (the HTTP-date form is rare for APIs and ignored). */
    private static java.time.Duration retryAfter(OpenAIServiceException e) {
        for (String value : e.headers().values("Retry-After")) {
            try {
                return java.time.Duration.ofMillis((long) (Double.parseDouble(value.strip()) * 1000));
            } catch (NumberFormatException ignored) {
                // not seconds
            }
        }
        return null;
    }

    @Override
    public String id() {
        return ModelSettings.OPENAI_PREFIX + modelId;
    }

    @Override
    public ModelReply complete(List<ChatMessage> messages) {
        return call(request(messages));
    }

    /** Function tools; the model may ask for several calls in one reply (parallel tool calls). */
    @Override
    public ModelReply complete(List<ChatMessage> messages, List<ToolSpec> tools) {
        return call(withTools(request(messages), tools));
    }

    @Override
    public ModelReply stream(List<ChatMessage> messages, List<ToolSpec> tools, java.util.function.Consumer<String> onDelta) {
        return stream(withTools(request(messages), tools), onDelta);
    }

    private static ChatCompletionCreateParams.Builder withTools(ChatCompletionCreateParams.Builder params, List<ToolSpec> tools) {
        for (ToolSpec tool : tools) {
            FunctionParameters.Builder schema = FunctionParameters.builder();
            tool.parameters().fields().forEachRemaining(field -> schema.putAdditionalProperty(field.getKey(), JsonValue.fromJsonNode(field.getValue())));
            params.addFunctionTool(FunctionDefinition.builder().name(tool.name()).description(tool.description()).parameters(schema.build()).build());
        }
        return params;
    }

    /** Uses the provider's strict JSON-schema response format, so a conforming model cannot answer off-schema. */
    @Override
    public ModelReply completeJson(List<ChatMessage> messages, String schemaName, ObjectNode schema) {
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder schemaBody = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        schema.fields().forEachRemaining(field -> schemaBody.putAdditionalProperty(field.getKey(), JsonValue.fromJsonNode(field.getValue())));
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name(schemaName).strict(true).schema(schemaBody.build()).build())
                .build();
        return call(request(messages).responseFormat(format));
    }

    /** The provider's own streaming (server-sent chunks), with token usage in the last chunk. */
    @Override
    public ModelReply stream(List<ChatMessage> messages, java.util.function.Consumer<String> onDelta) {
        return stream(request(messages), onDelta);
    }

    /** Tool calls arrive in pieces (id and name first, the arguments in fragments), gathered by their index. */
    private ModelReply stream(ChatCompletionCreateParams.Builder request, java.util.function.Consumer<String> onDelta) {
        ChatCompletionCreateParams params = request
                .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        StringBuilder content = new StringBuilder();
        java.util.SortedMap<Long, String[]> calls = new java.util.TreeMap<>();
        long[] usage = new long[2];
        try (com.openai.core.http.StreamResponse<com.openai.models.chat.completions.ChatCompletionChunk> chunks =
                     client.chat().completions().createStreaming(params)) {
            chunks.stream().forEach(chunk -> {
                chunk.usage().ifPresent(u -> {
                    usage[0] = u.promptTokens();
                    usage[1] = u.completionTokens();
                });
                for (var choice : chunk.choices()) {
                    choice.delta().content().filter(text -> !text.isEmpty()).ifPresent(text -> {
                        content.append(text);
                        onDelta.accept(text);
                    });
                    for (var piece : choice.delta().toolCalls().orElse(List.of())) {
                        String[] call = calls.computeIfAbsent(piece.index(), i -> new String[] {null, "", ""});
                        piece.id().ifPresent(id -> call[0] = id);
                        piece.function().ifPresent(f -> {
                            f.name().ifPresent(name -> call[1] += name);
                            f.arguments().ifPresent(arguments -> call[2] += arguments);
                        });
                    }
                }
            });
        } catch (RuntimeException e) {
            throw translate(e);
        }
        List<ToolCall> toolCalls = calls.values().stream()
                .map(call -> new ToolCall(call[0] == null ? "call-" + call[1] : call[0], call[1], call[2])).toList();
        return new ModelReply(content.toString(), usage[0], usage[1], toolCalls);
    }

    private ChatCompletionCreateParams.Builder request(List<ChatMessage> messages) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(modelId);
        for (ChatMessage message : messages) {
            switch (message.role()) {
                case SYSTEM -> params.addSystemMessage(message.content());
                case USER -> params.addUserMessage(message.content());
                case ASSISTANT -> {
                    if (message.toolCalls().isEmpty()) {
                        params.addAssistantMessage(message.content());
                    } else {
                        ChatCompletionAssistantMessageParam.Builder assistant = ChatCompletionAssistantMessageParam.builder();
                        if (!message.content().isEmpty()) {
                            assistant.content(message.content());
                        }
                        for (ToolCall call : message.toolCalls()) {
                            assistant.addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.id())
                                    .function(ChatCompletionMessageFunctionToolCall.Function.builder().name(call.name())
                                            .arguments(call.arguments()).build())
                                    .build());
                        }
                        params.addMessage(assistant.build());
                    }
                }
                case TOOL -> params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(message.toolCallId())
                        .content(message.content()).build());
            }
        }
        return params;
    }

    private ModelReply call(ChatCompletionCreateParams.Builder params) {
        try {
            ChatCompletion completion = client.chat().completions().create(params.build());
            String content = completion.choices().isEmpty() ? ""
                    : completion.choices().get(0).message().content().orElse("");
            List<ToolCall> toolCalls = completion.choices().isEmpty() ? List.of()
                    : completion.choices().get(0).message().toolCalls().orElse(List.of()).stream()
                    .flatMap(call -> call.function().stream())
                    .map(call -> new ToolCall(call.id(), call.function().name(), call.function().arguments()))
                    .toList();
            long in = completion.usage().map(u -> u.promptTokens()).orElse(0L);
            long out = completion.usage().map(u -> u.completionTokens()).orElse(0L);
            return new ModelReply(content, in, out, toolCalls);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** The SDK's failures as ours: unavailable (429, 5xx, I/O: worth retrying, with the provider's Retry-After) or rejected. */
    private RuntimeException translate(RuntimeException e) {
        if (e instanceof RateLimitException || e instanceof InternalServerException) {
            return new ModelException("model " + modelId + " is unavailable: " + e.getMessage(), true, retryAfter((OpenAIServiceException) e), e);
        }
        if (e instanceof OpenAIIoException) {
            return new ModelException("model " + modelId + " is unavailable: " + e.getMessage(), true, e);
        }
        if (e instanceof OpenAIServiceException) {
            return new ModelException("model " + modelId + " rejected the request: " + e.getMessage(), false, e);
        }
        return e;
    }
}
