package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionflow.config.ConfigException;
import io.sessionflow.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigurationTest {

    /** Nothing listens here: a pipeline that got as far as connecting would fail with a connection error instead. */
    private static final Map<String, String> UNREACHABLE = Map.of(
            "DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/sessionflow",
            "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
            "SESSIONFLOW_AUTH", "off");

    private static Env env(Map<String, String> bad) {
        java.util.HashMap<String, String> vars = new java.util.HashMap<>(UNREACHABLE);
        vars.putAll(bad);
        return new Env(vars);
    }

    @Test
    void shouldReportEveryServicesBadSettingsTogetherBeforeConnectingToAnything() {
        Env env = env(Map.of(
                "DATABASE_POOL_SIZE", "many",
                "SESSIONFLOW_GATEWAY_PORT", "70000",
                "SESSIONFLOW_WORKER_CONCURRENCY", "0",
                "SESSIONFLOW_SUMMARY_EVERY_RUNS", "-1",
                "SESSIONFLOW_METRICS_PORT", "http"));
        long start = System.nanoTime();

        assertThatThrownBy(() -> Pipeline.open(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "DATABASE_POOL_SIZE='many' is not a whole number",
                        "SESSIONFLOW_GATEWAY_PORT=70000 is out of range [0, 65535]",
                        "SESSIONFLOW_WORKER_CONCURRENCY=0 is out of range [1, 10000]",
                        "SESSIONFLOW_SUMMARY_EVERY_RUNS=-1 is out of range [1, 10000]",
                        "SESSIONFLOW_METRICS_PORT='http' is not a whole number"));
        // Connecting to the closed port (Database.open, topic creation) would take seconds and fail differently.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldReportABadComponentsFileTogetherWithTheEnvironmentsProblems(@TempDir Path dir) throws Exception {
        Path components = Files.writeString(dir.resolve("components.yaml"), "agents:\n  - id: helper\n    modle: local\n");
        Env env = env(Map.of("SESSIONFLOW_COMPONENTS", components.toString(), "SESSIONFLOW_WORKER_CONCURRENCY", "0"));

        assertThatThrownBy(() -> Pipeline.open(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2)
                        .contains("SESSIONFLOW_WORKER_CONCURRENCY=0 is out of range [1, 10000]")
                        .anySatisfy(problem -> assertThat(problem).startsWith(components.toString()).contains("modle")));
    }

    @Test
    void shouldReadASettingEveryServiceSharesOnceAndReportItOnce() {
        Env env = env(Map.of("SESSIONFLOW_SHUTDOWN_GRACE_SECONDS", "soon"));

        // The run-worker, summarizer, context and memory workers all stop with this grace: one problem, not four.
        assertThatThrownBy(() -> Pipeline.open(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("SESSIONFLOW_SHUTDOWN_GRACE_SECONDS='soon' is not a whole number"));
    }

    @Test
    void shouldReadOnlyTheSettingsOfTheServicesAProcessRuns() {
        // A run-worker process needs no API keys and ignores the gateway's variables.
        Env env = new Env(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/sessionflow", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "SESSIONFLOW_GATEWAY_PORT", "70000", "SESSIONFLOW_WORKER_CONCURRENCY", "0"));

        assertThatThrownBy(() -> Pipeline.open(env, null, EnumSet.of(Pipeline.Service.RUN_WORKER, Pipeline.Service.METRICS)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("SESSIONFLOW_WORKER_CONCURRENCY=0 is out of range [1, 10000]"));
    }
}
