package io.sessionflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./sessionflow bench}'s options, as the README gives them; nothing is started. */
class BenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(String... args) {
        CommandLine command = Bench.commandLine();
        command.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void shouldAnswerHelpWithItsUsage() {
        assertThat(bench("--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: ./sessionflow bench").contains("--quick", "--model-latency-ms=N");
    }

    @Test
    void shouldRefuseAMissingValueAndAnUnknownOption() {
        assertThat(bench("--model-latency-ms")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter for option '--model-latency-ms'");
        assertThat(bench("--fast")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--fast'");
    }

    @Test
    void shouldReadTheOptions() {
        Bench bench = new Bench();
        new CommandLine(bench).parseArgs("--quick", "--model-latency-ms", "50");
        assertThat(bench.quick).isTrue();
        assertThat(bench.modelLatencyMs).isEqualTo(50);
    }
}
