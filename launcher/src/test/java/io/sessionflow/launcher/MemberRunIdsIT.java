package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.event.RunRequested;
import io.sessionflow.kafka.Topic;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The longest run id a request may have and the longest member id a team may have still make a member run id that works everywhere. */
@PipelineIT
class MemberRunIdsIT {

    private static final String LONGEST_MEMBER = "longest-member-id-" + "x".repeat(45);

    private final TestPipeline pipeline;
    private final Rows rows;
    private final Topic<RunRequested> requests;
    private final KafkaProducer<String, byte[]> producer;

    MemberRunIdsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
        this.requests = pipeline.kafka.topics().runsRequested();
        this.producer = pipeline.kafka.producer("member-run-ids-test");
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void shouldRunATeamWhoseMemberRunIdIsAsLongAsAnIdMayBe() {
        String runId = "r".repeat(Ids.MAX_RUN_ID_LENGTH);
        String session = SessionSemanticsIT.newId("longest-ids");
        RunRequested request = RunRequested.of(ComponentType.TEAM, "longest-member-team", session, "user_1", "hello team")
                .withRunId(runId);
        producer.send(new ProducerRecord<>(requests.name(), session, requests.serialize(request)));
        producer.flush();

        Eventually.await("the team run completes", Duration.ofSeconds(30),
                () -> "completed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", runId)));
        String memberRunId = runId + ":" + LONGEST_MEMBER;
        assertThat(memberRunId).hasSize(Ids.MAX_LENGTH);
        JsonNode member = pipeline.client.get("/v1/runs/" + memberRunId).body();
        assertThat(member.path("status").asText()).isEqualTo("completed");
        assertThat(member.path("parent_run_id").asText()).isEqualTo(runId);
        assertThat(member.path("component_id").asText()).isEqualTo(LONGEST_MEMBER);
    }
}
