package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line's parsing, with no gateway, broker or database: nothing here gets past the parser. */
class CliTest {

    /** The gateway URL points nowhere: a command that did get past the parser would fail with 1, not 0 or 2. */
    private static final Map<String, String> ENV = Map.of("SESSIONFLOW_URL", "http://127.0.0.1:9");

    /** Every command and subcommand, as the words that reach it ("sessions list"), the root included. */
    static Stream<String> everyCommand() {
        List<String> paths = new ArrayList<>();
        collect(new Cli(System.out, System.err, ENV).commandLine(), "", paths);
        return paths.stream();
    }

    private static void collect(CommandLine command, String path, List<String> paths) {
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> collect(sub, (path + " " + name).trim(), paths));
    }

    @Test
    void shouldKnowEveryCommandTheReadmeLists() {
        assertThat(everyCommand()).contains("demo", "dev", "gateway", "run-worker", "summarizer-worker", "context-worker", "run",
                "sessions list", "sessions show", "sessions rename", "sessions delete", "reprocess", "hash-key", "help",
                "memories list", "memories show", "memories add", "memories edit", "memories delete", "memories profile", "memories forget");
    }

    @ParameterizedTest(name = "''{0}'' {1}")
    @MethodSource("everyCommandWithEachHelpFlag")
    void shouldAnswerHelpWithTheCommandsUsageAndExitZero(String path, String flag) {
        CliRun help = cli(words(path, flag));

        assertThat(help.status).as(help.err).isZero();
        assertThat(help.err).isEmpty();
        assertThat(help.out).startsWith("Usage: ./sessionflow" + (path.isEmpty() ? "" : " " + path)).contains("-h, --help");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> everyCommandWithEachHelpFlag() {
        return everyCommand().flatMap(path -> Stream.of("--help", "-h").map(flag -> org.junit.jupiter.params.provider.Arguments.of(path, flag)));
    }

    /** What each command needs besides its options, so that only the unknown option is wrong. */
    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(Map.entry("run", List.of("--agent", "a", "hello")),
            Map.entry("sessions", List.of("list")), Map.entry("sessions show", List.of("s1")), Map.entry("sessions rename", List.of("s1", "name")),
            Map.entry("sessions delete", List.of("s1")), Map.entry("reprocess", List.of("summaries")), Map.entry("hash-key", List.of("key")),
            Map.entry("memories", List.of("list", "u1")), Map.entry("memories list", List.of("u1")), Map.entry("memories show", List.of("u1", "m1")),
            Map.entry("memories add", List.of("u1", "text")), Map.entry("memories edit", List.of("u1", "m1")),
            Map.entry("memories delete", List.of("u1", "m1")), Map.entry("memories profile", List.of("u1")),
            Map.entry("memories forget", List.of("u1")));

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("everyCommand")
    void shouldRefuseAnUnknownOptionWithTheUsageAndExitTwo(String path) {
        List<String> args = new ArrayList<>(List.of(words(path, "--no-such-option")));
        args.addAll(REQUIRED.getOrDefault(path, List.of()));
        CliRun refused = cli(args.toArray(String[]::new));

        assertThat(refused.status).isEqualTo(2);
        assertThat(refused.out).isEmpty();
        assertThat(refused.err).contains("Unknown option: '--no-such-option'").contains("Usage: ./sessionflow" + (path.isEmpty() ? "" : " " + path));
    }

    @Test
    void shouldNameTheMissingAgentOrTeamOfARun() {
        CliRun run = cli("run", "--session", "s1", "hello");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("Missing required argument").contains("--agent=ID").contains("--team=ID").contains("Usage: ./sessionflow run");
    }

    @Test
    void shouldRefuseBothAnAgentAndATeam() {
        CliRun run = cli("run", "--agent", "a", "--team", "t", "hello");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("mutually exclusive").contains("Usage: ./sessionflow run");
    }

    @Test
    void shouldNameTheMissingMessageOfARun() {
        CliRun run = cli("run", "--agent", "personal-assistant");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("Missing required parameter: 'MESSAGE'");
    }

    @Test
    void shouldRefuseStateThatIsNotJsonBeforeCallingTheGateway() {
        CliRun run = cli("run", "--agent", "personal-assistant", "--state", "{nope", "hello");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("--state must be JSON").contains("Usage: ./sessionflow run");
    }

    @Test
    void shouldNameWhatIsMissingOrWrong() {
        assertThat(cli("hash-key").err).contains("Missing required parameter: 'KEY'");
        assertThat(cli("sessions", "show").err).contains("Missing required parameter: 'SESSION_ID'");
        assertThat(cli("sessions", "rename", "s1").err).contains("Missing required parameter: 'NEW_NAME'");
        assertThat(cli("sessions", "delete").err).contains("Missing required parameter: 'SESSION_ID'");
        assertThat(cli("sessions").err).contains("Missing required subcommand").contains("Usage: ./sessionflow sessions");
        assertThat(cli("reprocess").err).contains("Missing required parameter: 'summaries|context|both|memories'");
        assertThat(cli("reprocess", "everything").err).contains("expected one of [summaries, context, both, memories]");
        assertThat(cli("sessions", "list", "--limit", "ten").err).contains("'ten' is not an int");
        for (String[] args : List.of(new String[] {"hash-key"}, new String[] {"sessions", "show"}, new String[] {"sessions"},
                new String[] {"reprocess"}, new String[] {"frobnicate"}, new String[] {"sessions", "frobnicate"},
                new String[] {"sessions", "show", "s1", "s2"})) {
            assertThat(cli(args).status).as(String.join(" ", args)).isEqualTo(2);
        }
    }

    @Test
    void shouldPrintTheUsageWithNoCommandOrWithHelp() {
        for (String[] args : List.of(new String[0], new String[] {"help"})) {
            CliRun usage = cli(args);
            assertThat(usage.status).isZero();
            assertThat(usage.out).startsWith("Usage: ./sessionflow").contains("reprocess").contains("SESSIONFLOW_URL");
        }
        CliRun sessions = cli("help", "sessions");
        assertThat(sessions.status).isZero();
        assertThat(sessions.out).startsWith("Usage: ./sessionflow sessions").contains("list").contains("delete");
        assertThat(cli("help", "sessions", "list").out).startsWith("Usage: ./sessionflow sessions list").contains("--sort-by");
        CliRun unknown = cli("help", "frobnicate");
        assertThat(unknown.status).isEqualTo(2);
        assertThat(unknown.err).contains("Unknown command: 'frobnicate'");
    }

    @Test
    void shouldHashAKeyAsBefore() {
        CliRun hash = cli("hash-key", "sf_secret");

        assertThat(hash.status).isZero();
        assertThat(hash.out).isEqualTo(io.sessionflow.gateway.auth.ApiKeys.hash("sf_secret") + "\n");
    }

    @Test
    void shouldExitOneWithTheReasonWhenTheGatewayCannotBeReached() {
        CliRun list = cli("sessions", "list", "--user", "u1");

        assertThat(list.status).isEqualTo(1);
        assertThat(list.err).contains("cannot reach the gateway at http://127.0.0.1:9");
    }

    private static String[] words(String path, String last) {
        List<String> words = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
        words.add(last);
        return words.toArray(String[]::new);
    }

    private record CliRun(int status, String out, String err) {
    }

    private static CliRun cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), ENV).main(args);
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
