package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.conversations.Conversation;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.ConversationUpdateParams;
import com.openai.models.conversations.items.ConversationItem;
import com.openai.models.conversations.items.ItemListPage;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.sessionflow.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI facade driven by the official OpenAI Java SDK (a client nobody here wrote), pointed at
 * {@code <gateway>/openai/v1} with a Sessionflow API key, on the real broker and Postgres.
 */
@PipelineIT
class OpenAiFacadeIT {

    private static final String MODEL = "chat-with-history";

    private final TestPipeline pipeline;
    private final OpenAIClient alice;
    private final OpenAIClient bob;

    OpenAiFacadeIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.alice = client(TestPipeline.keyFor("alice"));
        this.bob = client(TestPipeline.keyFor("bob"));
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(pipeline.gateway.url() + "/openai/v1").apiKey(key)
                .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    }

    private Response ask(OpenAIClient client, String conversation, String input) {
        return client.responses().create(ResponseCreateParams.builder().model(MODEL).conversation(conversation).input(input).build());
    }

    private static String text(Response response) {
        return response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream()).flatMap(content -> content.outputText().stream())
                .map(t -> t.text()).collect(Collectors.joining());
    }

    @Test
    void shouldAnswerASecondTurnThatSeesTheFirstInOneConversation() {
        Conversation conversation = alice.conversations().create(ConversationCreateParams.builder()
                .metadata(JsonValue.from(Map.of("topic", "colours"))).build());

        Response first = ask(alice, conversation.id(), "My favourite colour is teal.");
        Response second = ask(alice, conversation.id(), "What is my favourite colour?");

        assertThat(first.status()).contains(ResponseStatus.COMPLETED);
        assertThat(second.status()).contains(ResponseStatus.COMPLETED);
        assertThat(second.conversation().orElseThrow().id()).isEqualTo(conversation.id());
        assertThat(text(second)).contains("My favourite colour is teal.").contains("What is my favourite colour?");
        assertThat(second.usage().orElseThrow().inputTokens()).isPositive();
        assertThat(second.usage().orElseThrow().outputTokens()).isPositive();
        // The conversation is a session of ours: the native API sees the same runs.
        JsonNode session = pipeline.client.get("/v1/sessions/" + conversation.id()).body();
        assertThat(session.path("component_id").asText()).isEqualTo(MODEL);
        assertThat(session.path("run_count").asInt()).isEqualTo(2);
        assertThat(session.path("metadata").path("topic").asText()).isEqualTo("colours");

        Conversation updated = alice.conversations().update(conversation.id(), ConversationUpdateParams.builder()
                .metadata(JsonValue.from(Map.of("topic", "paint"))).build());
        assertThat(updated._metadata().toString()).contains("paint");
        assertThat(alice.conversations().retrieve(conversation.id())._metadata().toString()).contains("paint");
        assertThat(alice.conversations().delete(conversation.id()).deleted()).isTrue();
        assertThatThrownBy(() -> alice.conversations().retrieve(conversation.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void shouldContinueAfterAPreviousResponseInItsSession() {
        Response first = alice.responses().create(ResponseCreateParams.builder().model(MODEL).input("Remember the number 4711.").build());
        Response second = alice.responses().create(ResponseCreateParams.builder().model(MODEL).previousResponseId(first.id())
                .input("Which number did I give you?").build());

        assertThat(second.conversation().orElseThrow().id()).isEqualTo(first.conversation().orElseThrow().id());
        assertThat(text(second)).contains("Remember the number 4711.");
        assertThat(alice.responses().retrieve(second.id()).status()).contains(ResponseStatus.COMPLETED);
    }

    @Test
    void shouldStreamDeltasAndResumeAfterASequenceNumber() {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = alice.responses().createStreaming(ResponseCreateParams.builder()
                .model(MODEL).input("Stream me an answer,\nplease.").build())) {
            stream.stream().forEach(events::add);
        }
        assertThat(events.get(0).created()).isPresent();
        Response completed = events.get(events.size() - 1).completed().orElseThrow().response();
        String deltas = events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta()).collect(Collectors.joining());
        assertThat(events.stream().filter(e -> e.outputTextDelta().isPresent()).count()).isGreaterThan(1);
        assertThat(deltas).isEqualTo(text(completed)).contains("Stream me an answer,");
        List<Long> sequence = events.stream().map(OpenAiFacadeIT::sequenceNumber).toList();
        assertThat(sequence).isSorted().doesNotHaveDuplicates();

        // Resuming after the first delta replays exactly what came after it.
        int firstDelta = events.indexOf(events.stream().filter(e -> e.outputTextDelta().isPresent()).findFirst().orElseThrow());
        List<Long> resumed = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = alice.responses().retrieveStreaming(completed.id(),
                ResponseRetrieveParams.builder().startingAfter(sequence.get(firstDelta)).build())) {
            stream.stream().forEach(e -> resumed.add(sequenceNumber(e)));
        }
        assertThat(resumed).isEqualTo(sequence.subList(firstDelta + 1, sequence.size()));
    }

    private static long sequenceNumber(ResponseStreamEvent event) {
        return Json.parse(Json.toText(event)).path("sequence_number").asLong();
    }

    @Test
    void shouldRunInTheBackgroundToBePolledAndCancelled() throws InterruptedException {
        Response queued = alice.responses().create(ResponseCreateParams.builder().model(MODEL).background(true)
                .input("A quick one in the background").build());
        assertThat(queued.status().orElseThrow()).isIn(ResponseStatus.QUEUED, ResponseStatus.IN_PROGRESS);
        Response polled = queued;
        for (int i = 0; i < 200 && polled.status().orElseThrow() != ResponseStatus.COMPLETED; i++) {
            Thread.sleep(50);
            polled = alice.responses().retrieve(queued.id());
        }
        assertThat(polled.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(polled)).contains("A quick one in the background");

        Response slow = alice.responses().create(ResponseCreateParams.builder().model(MODEL).background(true)
                .input("sleep:20000 a slow one to cancel").build());
        Response cancelled = alice.responses().cancel(slow.id());
        assertThat(cancelled.status()).contains(ResponseStatus.CANCELLED);
        assertThat(alice.responses().retrieve(slow.id()).status()).contains(ResponseStatus.CANCELLED);
    }

    @Test
    void shouldPageTheConversationItemsWithACursor() {
        String conversation = alice.conversations().create(ConversationCreateParams.builder().build()).id();
        for (String turn : List.of("one", "two", "three")) {
            ask(alice, conversation, "turn " + turn);
        }
        List<String> texts = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        ItemListPage page = alice.conversations().items().list(conversation, ItemListParams.builder().limit(4).order(ItemListParams.Order.ASC).build());
        while (true) {
            pageSizes.add(page.data().size());
            page.data().forEach(item -> texts.add(itemText(item)));
            if (!page.hasNextPage()) {
                break;
            }
            page = page.nextPage();
        }
        assertThat(pageSizes).containsExactly(4, 2);
        assertThat(texts).hasSize(6);
        assertThat(texts.get(0)).isEqualTo("turn one");
        assertThat(texts.get(2)).isEqualTo("turn two");
        assertThat(texts.get(4)).isEqualTo("turn three");
        assertThat(texts.get(5)).contains("turn three");

        List<ConversationItem> newest = alice.conversations().items().list(conversation, ItemListParams.builder().limit(1).build()).data();
        assertThat(itemText(newest.get(0))).isEqualTo(texts.get(5));
    }

    private static String itemText(ConversationItem item) {
        return item.message().orElseThrow().content().stream()
                .map(c -> c.inputText().map(t -> t.text()).or(() -> c.outputText().map(t -> t.text())).orElse(""))
                .collect(Collectors.joining());
    }

    @Test
    void shouldKeepAUserKeyToItsOwnConversations() {
        String conversation = alice.conversations().create(ConversationCreateParams.builder().build()).id();
        Response answer = ask(alice, conversation, "Alice's secret");

        assertThatThrownBy(() -> bob.conversations().retrieve(conversation)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> bob.conversations().items().list(conversation)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> bob.responses().retrieve(answer.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ask(bob, conversation, "Let me in")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> bob.responses().create(ResponseCreateParams.builder().model(MODEL).previousResponseId(answer.id())
                .input("Let me in").build())).isInstanceOf(NotFoundException.class);
        assertThat(pipeline.client.get("/v1/sessions/" + conversation).body().path("run_count").asInt()).isEqualTo(1);
    }

    @Test
    void shouldAnswerTwoConcurrentTurnsOnOneConversationInOrder() {
        String conversation = alice.conversations().create(ConversationCreateParams.builder().build()).id();
        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> ask(alice, conversation, "sleep:1500 first, slowly"));
        CompletableFuture<Response> fast = CompletableFuture.supplyAsync(() -> ask(alice, conversation, "second, at once"));

        Response a = slow.join();
        Response b = fast.join();

        assertThat(a.status()).contains(ResponseStatus.COMPLETED);
        assertThat(b.status()).contains(ResponseStatus.COMPLETED);
        JsonNode runA = pipeline.client.get("/v1/runs/" + a.id()).body();
        JsonNode runB = pipeline.client.get("/v1/runs/" + b.id()).body();
        assertThat(List.of(runA.path("run_index").asInt(), runB.path("run_index").asInt())).containsExactlyInAnyOrder(1, 2);
        Response later = runA.path("run_index").asInt() == 2 ? a : b;
        String earlierInput = later == a ? "second, at once" : "sleep:1500 first, slowly";
        assertThat(text(later)).contains(earlierInput);
    }

    @Test
    void shouldServeChatCompletionsWithTheHistoryOnTheServer() {
        String session = "openai-chat-" + java.util.UUID.randomUUID();
        ChatCompletion first = alice.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage("My dog is called Rex.").putAdditionalHeader("X-Session-Id", session).build());
        assertThat(first.choices().get(0).message().content().orElseThrow()).contains("My dog is called Rex.");

        // A client that resends its own history: only the last user message is the new turn.
        List<String> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = alice.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage("My dog is called Rex.").addAssistantMessage("noted").addUserMessage("What is my dog called?")
                .putAdditionalHeader("X-Session-Id", session).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(chunks::add)));
        }
        String streamed = String.join("", chunks);
        assertThat(streamed).contains("My dog is called Rex.").contains("What is my dog called?");
        assertThat(pipeline.client.get("/v1/sessions/" + session).body().path("run_count").asInt()).isEqualTo(2);
    }

    @Test
    void shouldRefuseInOpenAisErrorShape() {
        GatewayClient raw = new GatewayClient(pipeline.gateway.url(), TestPipeline.keyFor("alice"));
        GatewayClient.Response unknownModel = raw.post("/openai/v1/responses", "{\"model\":\"no-such-agent\",\"input\":\"hi\"}");
        assertThat(unknownModel.status()).isEqualTo(404);
        assertThat(unknownModel.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(unknownModel.body().path("error").path("code").asText()).isEqualTo("unknown_component");
        assertThat(unknownModel.body().path("error").path("message").asText()).contains("no-such-agent");

        GatewayClient.Response badField = raw.post("/openai/v1/responses", "{\"model\":\"" + MODEL + "\",\"input\":42}");
        assertThat(badField.status()).isEqualTo(400);
        assertThat(badField.body().path("error").path("param").asText()).isEqualTo("input");

        GatewayClient.Response noKey = new GatewayClient(pipeline.gateway.url(), null).get("/openai/v1/conversations/x");
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.body().path("error").path("type").asText()).isEqualTo("authentication_error");

        GatewayClient.Response nativeError = raw.get("/v1/runs/no-such-run");
        assertThat(nativeError.body().path("error").path("status").asInt()).isEqualTo(404);
    }
}
