package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A run's index is given when it completes; until then, and for member runs always, the gateway shows null (not 0). */
@PipelineIT
class RunIndexIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    RunIndexIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @Test
    void shouldShowANullRunIndexForARunThatIsRunningOrCancelled() {
        String session = SessionSemanticsIT.newId("index-cancel");
        String slow = "index me later sleep:20000 " + UUID.randomUUID();
        String runId = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, slow, null))).body().path("run_id").asText();
        Eventually.await("the slow run starts", Duration.ofSeconds(30),
                () -> "running".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", runId)));

        JsonNode running = pipeline.client.get("/v1/runs/" + runId).body();
        assertThat(running.path("status").asText()).isEqualTo("running");
        assertThat(running.path("run_index").isNull()).as("run_index of a running run: %s", running.path("run_index")).isTrue();

        assertThat(pipeline.client.post("/v1/runs/" + runId + "/cancel", "").status()).isEqualTo(200);
        JsonNode cancelled = pipeline.client.get("/v1/runs/" + runId).body();
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("run_index").isNull()).as("run_index of a cancelled run: %s", cancelled.path("run_index")).isTrue();
    }

    @Test
    void shouldShowANullRunIndexForATeamsMemberRunAndTheIndexForTheTeamRun() {
        String session = SessionSemanticsIT.newId("index-team");
        JsonNode team = pipeline.client.run("teams", "editorial-team",
                SessionSemanticsIT.body("user_1", session, "write about otters", Json.object().put("user_name", "Ada"))).body();
        assertThat(team.path("status").asText()).isEqualTo("completed");
        String teamRunId = team.path("run_id").asText();

        assertThat(pipeline.client.get("/v1/runs/" + teamRunId).body().path("run_index").asInt()).isEqualTo(1);
        JsonNode member = pipeline.client.get("/v1/runs/" + teamRunId + ":researcher").body();
        assertThat(member.path("parent_run_id").asText()).isEqualTo(teamRunId);
        assertThat(member.path("run_index").isNull()).as("run_index of a member run: %s", member.path("run_index")).isTrue();
    }
}
