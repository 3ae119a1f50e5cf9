package io.sessionflow.runworker;

import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Publishes run outcomes, keyed by session id, and dead-letters records that cannot be processed. */
final class RunEventPublisher {

    static final String DLQ_REASON = "sessionflow.dlq.reason";
    static final String DLQ_TOPIC = "sessionflow.dlq.source.topic";
    static final String DLQ_PARTITION = "sessionflow.dlq.source.partition";
    static final String DLQ_OFFSET = "sessionflow.dlq.source.offset";

    private final Producer<String, byte[]> producer;
    private final Topics topics;

    RunEventPublisher(Producer<String, byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    Future<RecordMetadata> publish(RunOutcome outcome) {
        if (outcome instanceof RunOutcome.Completed completed) {
            return send(topics.runsCompleted(), completed.event().sessionId(), completed.event());
        }
        RunOutcome.Failed failed = (RunOutcome.Failed) outcome;
        return send(topics.runsFailed(), failed.event().sessionId(), failed.event());
    }

    /** The original key and bytes, with the reason and the record's origin in headers. */
    Future<RecordMetadata> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(topics.runsDeadLetter().name(), record.key(), record.value());
        letter.headers()
                .add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8))
                .add(DLQ_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8))
                .add(DLQ_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8))
                .add(DLQ_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        return producer.send(letter);
    }

    private <V> Future<RecordMetadata> send(Topic<V> topic, String key, V value) {
        return producer.send(new ProducerRecord<>(topic.name(), key, topic.serialize(value)));
    }
}
