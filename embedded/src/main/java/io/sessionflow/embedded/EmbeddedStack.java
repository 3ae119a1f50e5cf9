package io.sessionflow.embedded;

/** Kafka and Postgres started together, for {@code dev}, {@code demo} and the integration tests. */
public final class EmbeddedStack implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgresServer postgres;

    /** Package-private for the tests' extension, which starts (and closes) the two servers one by one, as asked. */
    EmbeddedStack(EmbeddedKafka kafka, EmbeddedPostgresServer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    public static EmbeddedStack start() {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        try {
            return new EmbeddedStack(EmbeddedKafka.start(), postgres);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    @Override
    public void close() {
        kafka.close();
        postgres.close();
    }
}
