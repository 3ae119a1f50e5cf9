package io.sessionflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedStackExtension.class)
class EmbeddedStackIT {

    @Test
    void shouldServeRealKafkaAndRealPostgres(EmbeddedStack stack) throws Exception {
        String bootstrap = stack.kafka().bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("probe", 1, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "acks", "all", "enable.idempotence", true), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("probe", "k", "hello")).get();
        }
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "group.id", "probe", "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("probe"));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            for (int i = 0; i < 50 && records.isEmpty(); i++) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.iterator().next().value()).isEqualTo("hello");
        }
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), "postgres", "postgres");
             ResultSet rs = c.createStatement().executeQuery("select version()")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("PostgreSQL");
        }
    }

    @Test
    void shouldHandEveryTestTheSameSharedServers(EmbeddedStack stack, EmbeddedKafka kafka, EmbeddedPostgresServer postgres) {
        assertThat(stack.kafka()).isSameAs(kafka);
        assertThat(stack.postgres()).isSameAs(postgres);
    }

    @Test
    void shouldHandAParameterMarkedOwnServersApartFromTheSharedOnes(EmbeddedPostgresServer shared,
            @EmbeddedStackExtension.Own EmbeddedPostgresServer own) {
        assertThat(own).isNotSameAs(shared);
        assertThat(own.port()).isNotEqualTo(shared.port());
    }
}
