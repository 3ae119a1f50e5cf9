package io.sessionflow.embedded;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The embedded Kafka broker and Postgres for integration tests, started lazily and once per test JVM
 * (the first test that asks for one starts it) and closed when the JVM's tests are done. Tests share
 * them and keep apart by their own ids and topic prefixes.
 *
 * <p>A test asks by parameter (constructor, {@code @BeforeAll}, or test method): {@link EmbeddedStack}
 * for both servers, {@link EmbeddedKafka} or {@link EmbeddedPostgresServer} for one, so a test that
 * needs only Postgres starts no broker. A parameter marked {@link Own @Own} gets servers of the test
 * class's own instead, closed after the class: for tests that stop or restart a server, which would
 * break every other test on the shared ones.
 */
public final class EmbeddedStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace SHARED = ExtensionContext.Namespace.create(EmbeddedStackExtension.class);
    /** Apart from {@link #SHARED}: a class's store would otherwise find the shared servers in the root store above it. */
    private static final ExtensionContext.Namespace OWN = ExtensionContext.Namespace.create(EmbeddedStackExtension.class, Own.class);

    /** Servers of this test class's own, not the shared ones. */
    @java.lang.annotation.Target(java.lang.annotation.ElementType.PARAMETER)
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    public @interface Own {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedStack.class || type == EmbeddedKafka.class || type == EmbeddedPostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = parameter.isAnnotated(Own.class) ? classContext(context).getStore(OWN)
                : context.getRoot().getStore(SHARED);
        Class<?> type = parameter.getParameter().getType();
        if (type == EmbeddedKafka.class) {
            return kafka(store);
        }
        if (type == EmbeddedPostgresServer.class) {
            return postgres(store);
        }
        return new EmbeddedStack(kafka(store), postgres(store));
    }

    /** The shared stack, for other extensions that build on it (the launcher's test pipeline). */
    public static EmbeddedStack shared(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(SHARED);
        return new EmbeddedStack(kafka(store), postgres(store));
    }

    private static EmbeddedKafka kafka(ExtensionContext.Store store) {
        return started(store, EmbeddedKafka.class, EmbeddedKafka::start);
    }

    private static EmbeddedPostgresServer postgres(ExtensionContext.Store store) {
        return started(store, EmbeddedPostgresServer.class, EmbeddedPostgresServer::start);
    }

    /** The store closes what it holds (they are AutoCloseable) when its context ends: the class's, or the JVM's run. */
    private static <T> T started(ExtensionContext.Store store, Class<T> type, Supplier<T> start) {
        return store.getOrComputeIfAbsent(type, key -> start.get(), type);
    }

    /** A class's own servers live as long as the class, whether asked for by its constructor or by one of its tests. */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }
}
