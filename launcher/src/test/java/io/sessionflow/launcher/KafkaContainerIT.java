package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.config.Env;
import io.sessionflow.embedded.EmbeddedPostgresServer;
import io.sessionflow.embedded.EmbeddedStackExtension;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.json.Json;
import io.sessionflow.model.LocalModel;
import io.sessionflow.model.ModelCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same run path against a Kafka broker in a container, for machines with Docker. Where there is
 * no Docker engine (the build machines), JUnit reports it skipped; the embedded broker covers it there.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(EmbeddedStackExtension.class)
class KafkaContainerIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Test
    void shouldCarryARunThroughAKafkaContainer(EmbeddedPostgresServer postgres) {
        Env env = new Env(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", KAFKA.getBootstrapServers(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", postgres.user(),
                "DATABASE_PASSWORD", postgres.password(),
                "SESSIONFLOW_GATEWAY_PORT", "0",
                "SESSIONFLOW_AUTH", "off",
                "SESSIONFLOW_TOPIC_PREFIX", "containers."));
        try (Pipeline pipeline = Pipeline.open(env, ModelCatalog.fixed(new LocalModel()))) {
            pipeline.startRunWorker();
            Gateway gateway = pipeline.startGateway();
            GatewayClient client = new GatewayClient(gateway.url(), null);

            client.run("agents", "personal-assistant", SessionSemanticsIT.body("user_1", "container-session", "What is my name?",
                    Json.object().put("user_name", "John").put("age", 30)));
            GatewayClient.Response second = client.run("agents", "personal-assistant",
                    SessionSemanticsIT.body("user_1", "container-session", "How old am I?", null));

            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body().path("content").asText()).contains("Users name is John and age is 30");
        }
    }
}
