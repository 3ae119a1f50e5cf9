package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.config.Env;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.kafka.Topic;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.runworker.RunWorker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Several run-workers in one consumer group share the partitions, and every session stays in order. */
@PipelineIT
class ScaleOutIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    ScaleOutIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @Test
    void shouldShareThePartitionsBetweenWorkersAndKeepEverySessionInOrder() {
        try (Pipeline second = Pipeline.open(new Env(pipeline.env), ModelCatalog.fixed(pipeline.model))) {
            RunWorker extra = second.startRunWorker();
            Eventually.await("the second worker is given partitions", Duration.ofSeconds(30), () -> !extra.assignedPartitions().isEmpty());

            Topic<RunRequested> topic = pipeline.kafka.topics().runsRequested();
            List<String> sessions = IntStream.range(0, 20).mapToObj(i -> SessionSemanticsIT.newId("scale")).toList();
            try (KafkaProducer<String, byte[]> producer = pipeline.kafka.producer("scale-test")) {
                for (int n = 1; n <= 10; n++) {
                    for (String session : sessions) {
                        RunRequested request = RunRequested.of(ComponentType.AGENT, "personal-assistant", session, "user_1", "step " + n);
                        producer.send(new ProducerRecord<>(topic.name(), session, topic.serialize(request)));
                    }
                }
            }

            Eventually.await("200 runs complete", Duration.ofSeconds(90), () -> rows.count(
                    "SELECT count(*) FROM runs WHERE status = 'completed' AND session_id = ANY (?)", (Object) sessions.toArray(String[]::new)) == 200);
            for (String session : sessions) {
                assertThat(rows.texts("SELECT input->>'message' FROM runs WHERE session_id = ? ORDER BY run_index", session))
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(n -> "step " + n).toList());
            }
            // Both workers own a share: the group split the partitions rather than idling one of them.
            Set<TopicPartition> extraPartitions = extra.assignedPartitions();
            assertThat(extraPartitions).isNotEmpty().hasSizeLessThan(pipeline.kafka.settings().partitions());
        }
    }
}
