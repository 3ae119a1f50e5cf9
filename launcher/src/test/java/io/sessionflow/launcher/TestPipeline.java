package io.sessionflow.launcher;

import io.sessionflow.config.Env;
import io.sessionflow.embedded.EmbeddedStack;
import io.sessionflow.embedded.EmbeddedStackExtension;
import io.sessionflow.context.ContextWorker;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.gateway.auth.ApiKeys;
import io.sessionflow.summarizer.SummarizerWorker;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.LocalModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.model.ModelReply;
import io.sessionflow.store.Database;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real gateway and workers on the shared embedded Kafka and Postgres, started once per test JVM
 * by the first {@link PipelineIT} test that asks for it and shared by the rest (each test uses its own
 * session ids). The model is the local model behind a counter, so tests can see how often it was
 * really called.
 */
final class TestPipeline implements AutoCloseable {

    /** The tests' admin key; user keys are {@link #keyFor(String)}. Only their hashes are configured. */
    static final String ADMIN_KEY = ApiKeys.generate();

    static final String WEBHOOK_SECRET = "test-webhook-secret";

    static String keyFor(String user) {
        return "test-key-of-" + user;
    }

    final EmbeddedStack stack;
    final Map<String, String> env;
    final Pipeline pipeline;
    final Gateway gateway;
    final SummarizerWorker summarizer;
    final ContextWorker contextWorker;
    final io.sessionflow.memory.MemoryWorker memoryWorker;
    final GatewayClient client;
    final Database database;
    final KafkaClients kafka;
    final CountingModel model = new CountingModel(new LocalModel());

    private TestPipeline(EmbeddedStack stack) {
        this.stack = stack;
        env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
        env.put("DATABASE_URL", stack.postgres().jdbcUrl());
        env.put("DATABASE_USER", stack.postgres().user());
        env.put("DATABASE_PASSWORD", stack.postgres().password());
        env.put("SESSIONFLOW_COMPONENTS", resource("test-components.yaml").toString());
        env.put("SESSIONFLOW_GATEWAY_PORT", "0");
        env.put("SESSIONFLOW_TOPIC_PARTITIONS", "4");
        env.put("SESSIONFLOW_SHUTDOWN_GRACE_SECONDS", "5");
        env.put("SESSIONFLOW_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("SESSIONFLOW_WEBHOOK_RETRY_MS", "200");
        env.put("SESSIONFLOW_WEBHOOK_MAX_ATTEMPTS", "4");
        // Test receivers listen on loopback: allowed by the name "localhost" only, so a URL with 127.0.0.1 is still refused.
        env.put("SESSIONFLOW_WEBHOOK_ALLOWED_HOSTS", "localhost");
        env.put("SESSIONFLOW_TOOL_ALLOWED_HOSTS", "localhost"); // HTTP tools of test-components.yaml (ToolsIT); signed with the webhook secret
        env.put("SESSIONFLOW_API_KEYS", "admin=" + ApiKeys.hash(ADMIN_KEY) + ",user:alice=" + ApiKeys.hash(keyFor("alice"))
                + ",user:bob=" + ApiKeys.hash(keyFor("bob")));
        pipeline = Pipeline.open(new Env(env), ModelCatalog.fixed(model));
        pipeline.startRunWorker();
        summarizer = pipeline.startSummarizer();
        pipeline.startUsageAccounting();
        contextWorker = pipeline.startContextWorker();
        memoryWorker = pipeline.startMemoryWorker();
        gateway = pipeline.startGateway();
        client = new GatewayClient(gateway.url(), ADMIN_KEY);
        database = Database.open(pipeline.settings().database(), "test-reader");
        kafka = new KafkaClients(pipeline.settings().kafka());
    }

    /** Closed by JUnit when the JVM's tests are done, before the servers under it (the store closes in reverse order). */
    @Override
    public void close() {
        database.close();
        pipeline.close();
    }

    /** Hands the shared {@link TestPipeline} to a test's constructor or methods. */
    static final class Resolver implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestPipeline.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestPipeline.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // The servers first, so that they are stored first and closed last.
            EmbeddedStack stack = EmbeddedStackExtension.shared(context);
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestPipeline.class, key -> new TestPipeline(stack), TestPipeline.class);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(TestPipeline.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The local model, counting calls per user message so tests can check a run was not executed twice. */
    static final class CountingModel implements ChatModel {
        private final ChatModel delegate;
        private final AtomicInteger calls = new AtomicInteger();
        private final Map<String, AtomicInteger> byMessage = new ConcurrentHashMap<>();
        private final Map<String, List<ChatMessage>> contexts = new ConcurrentHashMap<>();

        CountingModel(ChatModel delegate) {
            this.delegate = delegate;
        }

        @Override
        public String id() {
            return delegate.id();
        }

        /** Messages containing {@code sleep:<ms>} make the call take that long: a slow model, interruptibly. */
        private static final java.util.regex.Pattern SLEEP = java.util.regex.Pattern.compile("sleep:(\\d+)");
        private final java.util.Set<String> interrupted = ConcurrentHashMap.newKeySet();
        /** Messages containing this make the call throw an unexpected exception (a bug, not a {@code ModelException}). */
        static final String BUG = "throw:bug";

        @Override
        public ModelReply stream(List<ChatMessage> messages, java.util.function.Consumer<String> onDelta) {
            countAndMaybeSleep(messages);
            return delegate.stream(messages, onDelta);
        }

        @Override
        public ModelReply complete(List<ChatMessage> messages) {
            countAndMaybeSleep(messages);
            return delegate.complete(messages);
        }

        @Override
        public ModelReply complete(List<ChatMessage> messages, List<io.sessionflow.model.ToolSpec> tools) {
            countAndMaybeSleep(messages);
            return delegate.complete(messages, tools);
        }

        @Override
        public ModelReply stream(List<ChatMessage> messages, List<io.sessionflow.model.ToolSpec> tools, java.util.function.Consumer<String> onDelta) {
            countAndMaybeSleep(messages);
            return delegate.stream(messages, tools, onDelta);
        }

        private void countAndMaybeSleep(List<ChatMessage> messages) {
            calls.incrementAndGet();
            String message = messages.get(messages.size() - 1).content();
            byMessage.computeIfAbsent(message, m -> new AtomicInteger()).incrementAndGet();
            contexts.put(message, List.copyOf(messages));
            if (message.contains(BUG)) {
                throw new IllegalStateException("a bug in the model adapter");
            }
            java.util.regex.Matcher sleep = SLEEP.matcher(message);
            if (sleep.find()) {
                try {
                    Thread.sleep(Long.parseLong(sleep.group(1)));
                } catch (InterruptedException e) {
                    interrupted.add(message);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("model call interrupted");
                }
            }
        }

        /** Whether a call with this message was interrupted (its run cancelled or timed out). */
        boolean wasInterrupted(String message) {
            return interrupted.contains(message);
        }

        /** The system message the model was given with this user message (the last time it was sent). */
        String systemMessageFor(String message) {
            List<ChatMessage> context = contexts.get(message);
            return context == null || context.get(0).role() != ChatMessage.Role.SYSTEM ? null : context.get(0).content();
        }

        int callsFor(String message) {
            AtomicInteger count = byMessage.get(message);
            return count == null ? 0 : count.get();
        }
    }
}
