package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Workflow sessions (the seed's third session type) on the real broker and Postgres: steps run in
 * order as child runs of their own on the bus, each answering the previous step's answer, in one
 * session typed {@code workflow} whose state they share.
 */
@PipelineIT
class WorkflowsIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    WorkflowsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    private JsonNode runWorkflow(String workflow, String session, String message, JsonNode state) {
        GatewayClient.Response response = pipeline.client.run("workflows", workflow,
                SessionSemanticsIT.body("user_1", session, message, state == null ? null : (com.fasterxml.jackson.databind.node.ObjectNode) state));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void shouldRunTheStepsInOrderEachAnsweringThePreviousStepsAnswerInOneWorkflowSession() {
        String session = SessionSemanticsIT.newId("workflow");
        // The first step sets state with update_session_state; the second step's system message shows it.
        JsonNode run = runWorkflow("research-and-write", session,
                "/tool update_session_state {\"session_state_updates\": {\"found\": \"two tides a day\"}}", Json.parse("{\"topic\": \"tides\"}"));
        String runId = run.path("run_id").asText();

        assertThat(run.path("status").asText()).as("%s", run).isEqualTo("completed");
        assertThat(run.path("component_type").asText()).isEqualTo("workflow");
        JsonNode workflowRun = pipeline.client.get("/v1/runs/" + runId).body();
        JsonNode children = workflowRun.path("children");
        assertThat(children).extracting(c -> c.path("run_id").asText()).containsExactly(runId + ":step-1", runId + ":step-2");
        assertThat(children).extracting(c -> c.path("component_id").asText()).containsExactly("wf-researcher", "wf-writer");
        assertThat(children).extracting(c -> c.path("parent_run_id").asText()).containsOnly(runId);
        assertThat(children).extracting(c -> c.path("status").asText()).containsOnly("completed");
        assertThat(children).extracting(c -> c.path("run_index").asInt()).containsExactly(1, 2);
        assertThat(workflowRun.path("run_index").asInt()).as("numbered after its steps").isEqualTo(3);

        JsonNode research = children.get(0);
        JsonNode write = children.get(1);
        assertThat(research.path("content").asText()).contains("update_session_state returned");
        assertThat(write.path("input").path("message").asText()).as("step 2's message is step 1's answer")
                .isEqualTo(research.path("content").asText());
        assertThat(workflowRun.path("content").asText()).as("the workflow answers with its last step").isEqualTo(write.path("content").asText());
        // One state for every step: the run's topic reached the writer's instructions, and what the researcher set its state block.
        String writerSaw = pipeline.model.systemMessageFor(write.path("input").path("message").asText());
        assertThat(writerSaw).contains("Write about tides.").contains("two tides a day");
        assertThat(Json.parse(rows.text("SELECT session_state::text FROM sessions WHERE session_id = ?", session)))
                .isEqualTo(Json.parse("{\"topic\": \"tides\", \"found\": \"two tides a day\"}"));

        JsonNode stored = pipeline.client.get("/v1/sessions/" + session).body();
        assertThat(stored.path("session_type").asText()).isEqualTo("workflow");
        assertThat(stored.path("component_id").asText()).isEqualTo("research-and-write");
        for (String filter : List.of("type=workflow", "session_type=workflow")) {
            JsonNode listed = pipeline.client.get("/v1/sessions?user_id=user_1&limit=100&" + filter).body().path("items");
            assertThat(listed).extracting(s -> s.path("session_id").asText()).as(filter).contains(session);
            assertThat(listed).extracting(s -> s.path("session_type").asText()).as(filter).containsOnly("workflow");
        }

        // Each step was a run request of its own on runs.requested, after the workflow run, in the session's partition.
        Topic<RunRequested> requests = pipeline.kafka.topics().runsRequested();
        List<RunRequested> requested = TopicReader.readUntil(pipeline.kafka, requests.name(), Duration.ofSeconds(30),
                        records -> ofSession(records, requests, session).size() >= 3).stream()
                .filter(r -> session.equals(r.key())).map(r -> requests.deserialize(r.value())).toList();
        assertThat(requested).extracting(RunRequested::runId).containsExactly(runId, runId + ":step-1", runId + ":step-2");
        assertThat(requested.get(2).workflowStep().step()).isEqualTo(2);
        Topic<RunCompleted> completed = pipeline.kafka.topics().runsCompleted();
        List<String> completions = TopicReader.readUntil(pipeline.kafka, completed.name(), Duration.ofSeconds(30),
                        records -> ofSession(records, completed, session).size() >= 3).stream()
                .filter(r -> session.equals(r.key())).map(r -> completed.deserialize(r.value()).runId()).toList();
        assertThat(completions).containsExactly(runId + ":step-1", runId + ":step-2", runId);
    }

    private static <V> List<ConsumerRecord<String, byte[]>> ofSession(List<ConsumerRecord<String, byte[]>> records, Topic<V> topic,
                                                                     String session) {
        return records.stream().filter(r -> session.equals(r.key())).toList();
    }

    @Test
    void shouldRunAgentAndTeamStepsInTheirOrder() {
        String session = SessionSemanticsIT.newId("workflow-team");
        JsonNode run = runWorkflow("three-steps", session, "Tell me about tides.",
                Json.parse("{\"topic\": \"tides\", \"user_name\": \"Ann\", \"age\": 30}"));
        assertThat(run.path("status").asText()).as("%s", run).isEqualTo("completed");
        JsonNode children = pipeline.client.get("/v1/runs/" + run.path("run_id").asText()).body().path("children");
        assertThat(children).extracting(c -> c.path("component_type").asText() + " " + c.path("component_id").asText())
                .containsExactly("agent wf-researcher", "team personal-team", "agent wf-writer");
        assertThat(children.get(2).path("input").path("message").asText()).isEqualTo(children.get(1).path("content").asText());
    }

    @Test
    void shouldFailTheWorkflowRunWithItsFailingStepAndRunNoLaterStep() {
        String session = SessionSemanticsIT.newId("workflow-fails");
        JsonNode run = runWorkflow("research-and-write", session, "research this " + TestPipeline.CountingModel.BUG, null);
        String runId = run.path("run_id").asText();

        assertThat(run.path("status").asText()).as("%s", run).isEqualTo("failed");
        assertThat(run.path("error").asText()).startsWith("step 1 (agent wf-researcher) failed: ");
        JsonNode children = pipeline.client.get("/v1/runs/" + runId).body().path("children");
        assertThat(children).extracting(c -> c.path("run_id").asText() + " " + c.path("status").asText())
                .containsExactly(runId + ":step-1 failed");
        assertThat(rows.text("SELECT count(*)::text FROM runs WHERE run_id = ?", runId + ":step-2")).isEqualTo("0");
    }

    @Test
    void shouldCancelTheStepInFlightWithItsWorkflowRunAndStartNoOther() {
        String session = SessionSemanticsIT.newId("workflow-cancel");
        String runId = pipeline.client.post("/v1/workflows/research-and-write/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, "slow research sleep:20000", null))).body().path("run_id").asText();
        Eventually.await("step 1 runs", Duration.ofSeconds(30),
                () -> "running".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", runId + ":step-1")));

        assertThat(pipeline.client.post("/v1/runs/" + runId + "/cancel", "").status()).isEqualTo(200);

        Eventually.await("the step is cancelled and its model call interrupted", Duration.ofSeconds(30),
                () -> pipeline.model.wasInterrupted("slow research sleep:20000"));
        assertThat(rows.text("SELECT status FROM runs WHERE run_id = ?", runId + ":step-1")).isEqualTo("cancelled");
        assertThat(rows.text("SELECT status FROM runs WHERE run_id = ?", runId)).isEqualTo("cancelled");
        assertThat(rows.text("SELECT count(*)::text FROM runs WHERE run_id = ?", runId + ":step-2")).isEqualTo("0");
    }

    @Test
    void shouldAnswer404ForAnUnknownWorkflow() {
        GatewayClient.Response response = pipeline.client.post("/v1/workflows/no-such-workflow/runs", "{\"message\": \"hi\"}");
        assertThat(response.status()).isEqualTo(404);
    }
}
