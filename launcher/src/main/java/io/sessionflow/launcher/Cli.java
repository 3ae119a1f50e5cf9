package io.sessionflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.config.ConfigException;
import io.sessionflow.json.Json;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code ./sessionflow} command line, parsed by picocli: every command and subcommand answers
 * {@code --help} / {@code -h} with its generated usage, and refuses an unknown option or a missing
 * argument with the usage. The commands against a running gateway ({@code run},
 * {@code sessions list|show|rename|delete}, {@code reprocess}) live here; the service commands in
 * {@link Sessionflow}. Readable tables by default, the gateway's JSON with {@code --json}. Exit
 * status: 0 done, 1 the gateway refused (its error is printed) or could not be reached, 2 a usage
 * mistake or a configuration error.
 */
final class Cli {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    Cli(PrintStream out, PrintStream err) {
        this(out, err, System.getenv());
    }

    Cli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Runs one command line. @return the exit status */
    int main(String[] args) {
        CommandLine commandLine = commandLine();
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }

    /** The whole command tree; settings are applied after every subcommand is added, as picocli applies them to those present. */
    CommandLine commandLine() {
        CommandLine root = new CommandLine(new Sessionflow.Root());
        Sessionflow.addServiceCommands(root);
        root.addSubcommand(new Run());
        root.addSubcommand(new CommandLine(new Sessions())
                .addSubcommand(new ListSessions())
                .addSubcommand(new ShowSession())
                .addSubcommand(new RenameSession())
                .addSubcommand(new DeleteSessions()));
        root.addSubcommand(new Reprocess());
        root.addSubcommand(new CommandLine(new Memories())
                .addSubcommand(new ListMemories())
                .addSubcommand(new ShowMemory())
                .addSubcommand(new AddMemory())
                .addSubcommand(new EditMemory())
                .addSubcommand(new DeleteMemory())
                .addSubcommand(new Profile())
                .addSubcommand(new Forget()));
        root.addSubcommand(new Sessionflow.HashKey());
        root.addSubcommand(new Help());
        withHelpOption(root);
        return root.setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                // As before picocli: an option given twice takes its last value.
                .setOverwrittenOptionsAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    if (e instanceof ConfigException) {
                        err.println(e.getMessage());
                        return 2;
                    }
                    throw e;
                });
    }

    /** Gives every command {@code -h, --help}, so no command can be added without it. */
    private static void withHelpOption(CommandLine command) {
        if (!command.getCommandSpec().optionsMap().containsKey("--help")) {
            command.addMixin("help", new HelpOption());
        }
        command.getSubcommands().values().forEach(Cli::withHelpOption);
    }

    /**
     * {@code help [COMMAND...]}: the usage of the root or of the named (sub)command. Our own rather than
     * picocli's HelpCommand, which answers an unknown option or command with exit 0.
     */
    @Command(name = "help", description = "prints the usage of ./sessionflow, or of COMMAND (for example: help sessions list)")
    static final class Help implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "a command and its subcommands")
        List<String> words = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine command = spec.root().commandLine();
            for (String word : words) {
                CommandLine sub = command.getSubcommands().get(word);
                if (sub == null) {
                    throw new ParameterException(spec.commandLine(), "Unknown command: '" + String.join(" ", words) + "'");
                }
                command = sub;
            }
            command.usage(spec.commandLine().getOut());
            return 0;
        }
    }

    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "prints this usage and exits")
        boolean help;
    }

    /** {@code --url}, {@code --key} and {@code --json}, which every gateway command takes. */
    static final class GatewayOptions {
        @Option(names = "--url", paramLabel = "URL", description = {"the gateway (default: $SESSIONFLOW_URL,", "else " + DEFAULT_URL + ")"})
        String url;

        @Option(names = "--key", paramLabel = "KEY", description = "the API key (default: $SESSIONFLOW_API_KEY)")
        String key;

        @Option(names = "--json", description = "prints the gateway's JSON instead of a table")
        boolean json;
    }

    /** A command that talks to a gateway; a gateway that cannot be reached exits 1 with the reason. */
    private abstract class GatewayCommand implements Callable<Integer> {
        @Mixin
        GatewayOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() {
            GatewayClient gateway = new GatewayClient(options.url != null ? options.url : env.getOrDefault("SESSIONFLOW_URL", DEFAULT_URL),
                    options.key != null ? options.key : env.get("SESSIONFLOW_API_KEY"));
            try {
                return call(gateway);
            } catch (GatewayUnreachableException | IllegalStateException e) {
                err.println(e.getMessage());
                return 1;
            }
        }

        abstract int call(GatewayClient gateway);
    }

    /** Exactly one of {@code --agent} and {@code --team}. */
    static final class Component {
        @Option(names = "--agent", paramLabel = "ID", required = true, description = "the agent to run")
        String agent;

        @Option(names = "--team", paramLabel = "ID", required = true, description = "the team to run")
        String team;
    }

    @Command(name = "run", description = "sends a run to a gateway and prints the answer")
    private final class Run extends GatewayCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Component component;

        @Option(names = "--session", paramLabel = "S", description = "the session (default: a new one)")
        String session;

        @Option(names = "--user", paramLabel = "U", description = "the user")
        String user;

        @Option(names = "--state", paramLabel = "JSON", description = "the session state to merge, a JSON object")
        String state;

        @Parameters(paramLabel = "MESSAGE", description = "the message")
        String message;

        @Override
        int call(GatewayClient gateway) {
            ObjectNode body = Json.object().put("message", message);
            putIfPresent(body, "session_id", session);
            putIfPresent(body, "user_id", user);
            if (state != null) {
                try {
                    body.set("session_state", Json.parse(state));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--state must be JSON: " + e.getMessage());
                }
            }
            boolean agent = component.agent != null;
            GatewayClient.Response response = gateway.run(agent ? "agents" : "teams", agent ? component.agent : component.team, body);
            if (failed(response)) {
                return 1;
            }
            JsonNode run = response.body();
            if (options.json) {
                out.println(run.toPrettyString());
            } else {
                out.println("run " + run.path("run_index").asText("?") + " " + run.path("status").asText() + " on session "
                        + run.path("session_id").asText() + " (" + run.path("model").asText() + ")");
                out.println(run.path("content").asText(run.path("error").asText("")));
            }
            return 0;
        }
    }

    enum ReprocessKind { summaries, context, both, memories }

    @Command(name = "reprocess", description = "re-derives the summaries and/or contexts of matching sessions, or the memories and "
            + "profiles of their users, with a progress bar")
    private final class Reprocess extends GatewayCommand {
        @Parameters(paramLabel = "summaries|context|both|memories", description = "what to re-derive (memories: per user)")
        ReprocessKind kind;

        @Option(names = "--user", paramLabel = "U", description = "only this user's sessions")
        String user;

        @Option(names = "--component", paramLabel = "C", description = "only this agent's or team's sessions")
        String component;

        @Option(names = "--session", paramLabel = "S", description = "only these sessions (repeatable)")
        List<String> sessions = new ArrayList<>();

        @Option(names = "--created-from", paramLabel = "T", description = "only sessions created at or after T")
        String createdFrom;

        @Option(names = "--created-to", paramLabel = "T", description = "only sessions created before T")
        String createdTo;

        @Option(names = "--updated-from", paramLabel = "T", description = "only sessions updated at or after T")
        String updatedFrom;

        @Option(names = "--updated-to", paramLabel = "T", description = "only sessions updated before T")
        String updatedTo;

        @Option(names = "--prompt-version", paramLabel = "V", description = "the prompt version to derive with")
        String promptVersion;

        @Option(names = "--detach", description = "prints the job id and returns at once")
        boolean detach;

        @Override
        int call(GatewayClient gateway) {
            ObjectNode filter = Json.object();
            putIfPresent(filter, "user_id", user);
            putIfPresent(filter, "component_id", component);
            putIfPresent(filter, "created_from", createdFrom);
            putIfPresent(filter, "created_to", createdTo);
            putIfPresent(filter, "updated_from", updatedFrom);
            putIfPresent(filter, "updated_to", updatedTo);
            if (!sessions.isEmpty()) {
                sessions.forEach(filter.putArray("session_ids")::add);
            }
            ObjectNode body = Json.object().put("kind", kind.name());
            body.set("filter", filter);
            putIfPresent(body, "prompt_version", promptVersion);
            GatewayClient.Response started = gateway.post("/v1/reprocess", Json.toText(body));
            if (failed(started)) {
                return 1;
            }
            String jobId = started.body().path("job_id").asText();
            if (detach) {
                out.println(options.json ? started.body().toPrettyString() : jobId);
                return 0;
            }
            JsonNode job = started.body();
            while ("running".equals(job.path("status").asText())) {
                if (!options.json) {
                    out.print("\r" + progressLine(job));
                    out.flush();
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
                GatewayClient.Response polled = gateway.get("/v1/reprocess/" + jobId);
                if (failed(polled)) {
                    return 1;
                }
                job = polled.body();
            }
            if (options.json) {
                out.println(job.toPrettyString());
            } else {
                out.println("\r" + progressLine(job));
                out.println("job " + jobId + " " + job.path("status").asText());
            }
            return job.path("status").asText().equals("completed") && job.path("failed").asLong() == 0 ? 0 : 1;
        }
    }

    /** {@code [##########----------] 5000/10000  0 failed  812.3/s  ETA 6s} */
    static String progressLine(JsonNode job) {
        long total = job.path("total").asLong();
        long finished = job.path("done").asLong() + job.path("failed").asLong();
        int width = 30;
        int filled = total == 0 ? width : (int) (width * finished / total);
        String eta = job.path("eta_seconds").isNull() ? "" : "  ETA " + job.path("eta_seconds").asLong() + "s";
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + finished + "/" + total + "  "
                + job.path("failed").asLong() + " failed  " + job.path("rate_per_s").asDouble() + "/s" + eta + "   ";
    }

    /** Without a subcommand picocli refuses with "Missing required subcommand" and the usage. */
    @Command(name = "sessions", description = "manages sessions on a gateway: list, show, rename, delete")
    static final class Sessions {
    }

    @Command(name = "list", description = "lists sessions, a page at a time")
    private final class ListSessions extends GatewayCommand {
        @Option(names = "--user", paramLabel = "U", description = "only this user's sessions")
        String user;

        @Option(names = "--type", paramLabel = "agent|team", description = "only agent or only team sessions")
        String type;

        @Option(names = "--component", paramLabel = "C", description = "only this agent's or team's sessions")
        String component;

        @Option(names = "--name", paramLabel = "TEXT", description = "only sessions whose name contains TEXT, in any case")
        String name;

        @Option(names = "--from", paramLabel = "DATE", description = "only sessions created at or after DATE")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "only sessions created before DATE")
        String to;

        @Option(names = "--page", paramLabel = "N", description = "the page, from 1")
        Integer page;

        @Option(names = "--limit", paramLabel = "N", description = "sessions per page")
        Integer limit;

        @Option(names = "--sort-by", paramLabel = "created_at|updated_at", description = "the order's field")
        String sortBy;

        @Option(names = "--order", paramLabel = "asc|desc", description = "the order's direction")
        String order;

        @Override
        int call(GatewayClient gateway) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("user_id", user);
            query.put("session_type", type);
            query.put("component_id", component);
            query.put("session_name", name);
            query.put("from", from);
            query.put("to", to);
            query.put("page", page);
            query.put("limit", limit);
            query.put("sort_by", sortBy);
            query.put("sort_order", order);
            return list(gateway, query, options.json);
        }
    }

    @Command(name = "show", description = "shows one session, with its summary and context")
    private final class ShowSession extends GatewayCommand {
        @Parameters(paramLabel = "SESSION_ID", description = "the session")
        String sessionId;

        @Override
        int call(GatewayClient gateway) {
            return show(gateway, sessionId, options.json);
        }
    }

    @Command(name = "rename", description = "renames a session")
    private final class RenameSession extends GatewayCommand {
        @Parameters(index = "0", paramLabel = "SESSION_ID", description = "the session")
        String sessionId;

        @Parameters(index = "1", paramLabel = "NEW_NAME", description = "its new name")
        String newName;

        @Override
        int call(GatewayClient gateway) {
            return rename(gateway, sessionId, newName, options.json);
        }
    }

    @Command(name = "delete", description = "deletes sessions with their runs, summaries and contexts; exits 1 if one was not found")
    private final class DeleteSessions extends GatewayCommand {
        @Parameters(arity = "1..*", paramLabel = "SESSION_ID", description = "the sessions")
        List<String> sessionIds;

        @Override
        int call(GatewayClient gateway) {
            return delete(gateway, sessionIds, options.json);
        }
    }

    @Command(name = "memories", description = "manages a user's memories and profile on a gateway: list, show, add, edit, delete, profile, forget")
    static final class Memories {
    }

    @Command(name = "list", description = "lists a user's memories, most recently updated first, a page at a time")
    private final class ListMemories extends GatewayCommand {
        @Parameters(paramLabel = "USER_ID", description = "the user")
        String userId;

        @Option(names = "--topic", paramLabel = "T", description = "only memories with this topic")
        String topic;

        @Option(names = "--text", paramLabel = "TEXT", description = "only memories containing TEXT, in any case")
        String text;

        @Option(names = "--page", paramLabel = "N", description = "the page, from 1")
        Integer page;

        @Option(names = "--limit", paramLabel = "N", description = "memories per page")
        Integer limit;

        @Override
        int call(GatewayClient gateway) {
            StringBuilder path = new StringBuilder("/v1/users/" + encode(userId) + "/memories");
            String separator = "?";
            for (Map.Entry<String, Object> entry : mapOf("topic", topic, "q", text, "page", page, "limit", limit).entrySet()) {
                if (entry.getValue() != null) {
                    path.append(separator).append(entry.getKey()).append('=').append(encode(entry.getValue().toString()));
                    separator = "&";
                }
            }
            GatewayClient.Response response = gateway.get(path.toString());
            if (failed(response)) {
                return 1;
            }
            JsonNode page = response.body();
            if (options.json) {
                out.println(page.toPrettyString());
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("MEMORY_ID", "TOPICS", "UPDATED", "MEMORY"));
            for (JsonNode memory : page.path("items")) {
                rows.add(List.of(memory.path("memory_id").asText(), topics(memory), memory.path("updated_at").asText(),
                        memory.path("memory").asText()));
            }
            printTable(rows);
            long total = page.path("total").asLong();
            int perPage = page.path("limit").asInt();
            out.println("page " + page.path("page").asInt() + " of " + Math.max(1, (total + perPage - 1) / perPage) + ", " + total + " memories");
            return 0;
        }
    }

    @Command(name = "show", description = "shows one memory, with the session and run it came from")
    private final class ShowMemory extends GatewayCommand {
        @Parameters(index = "0", paramLabel = "USER_ID", description = "the user")
        String userId;

        @Parameters(index = "1", paramLabel = "MEMORY_ID", description = "the memory")
        String memoryId;

        @Override
        int call(GatewayClient gateway) {
            return printMemory(gateway.get(memoryPath(userId, memoryId)), options.json, null);
        }
    }

    @Command(name = "add", description = "adds a memory by hand")
    private final class AddMemory extends GatewayCommand {
        @Parameters(index = "0", paramLabel = "USER_ID", description = "the user")
        String userId;

        @Parameters(index = "1", paramLabel = "MEMORY", description = "the fact, for example 'Prefers short answers'")
        String memory;

        @Option(names = "--topic", paramLabel = "T", description = "a topic (repeatable)")
        List<String> topics = new ArrayList<>();

        @Override
        int call(GatewayClient gateway) {
            ObjectNode body = Json.object().put("memory", memory);
            topics.forEach(body.putArray("topics")::add);
            return printMemory(gateway.post("/v1/users/" + encode(userId) + "/memories", Json.toText(body)), options.json, "added");
        }
    }

    @Command(name = "edit", description = "changes a memory's text and/or topics")
    private final class EditMemory extends GatewayCommand {
        @Parameters(index = "0", paramLabel = "USER_ID", description = "the user")
        String userId;

        @Parameters(index = "1", paramLabel = "MEMORY_ID", description = "the memory")
        String memoryId;

        @Option(names = "--text", paramLabel = "MEMORY", description = "its new text")
        String text;

        @Option(names = "--topic", paramLabel = "T", description = "its topics, replacing the old ones (repeatable)")
        List<String> topics;

        @Override
        int call(GatewayClient gateway) {
            ObjectNode body = Json.object();
            putIfPresent(body, "memory", text);
            if (topics != null) {
                topics.forEach(body.putArray("topics")::add);
            }
            return printMemory(gateway.send("PATCH", memoryPath(userId, memoryId), Json.toText(body)), options.json, "updated");
        }
    }

    @Command(name = "delete", description = "deletes a memory; exits 1 if it was not found")
    private final class DeleteMemory extends GatewayCommand {
        @Parameters(index = "0", paramLabel = "USER_ID", description = "the user")
        String userId;

        @Parameters(index = "1", paramLabel = "MEMORY_ID", description = "the memory")
        String memoryId;

        @Override
        int call(GatewayClient gateway) {
            GatewayClient.Response response = gateway.send("DELETE", memoryPath(userId, memoryId), null);
            if (failed(response)) {
                return 1;
            }
            out.println(options.json ? response.body().toPrettyString() : "deleted " + memoryId);
            return 0;
        }
    }

    @Command(name = "profile", description = "shows a user's profile; with options, changes it first")
    private final class Profile extends GatewayCommand {
        @Parameters(paramLabel = "USER_ID", description = "the user")
        String userId;

        @Option(names = "--name", paramLabel = "NAME", description = "the user's name")
        String name;

        @Option(names = "--preference", paramLabel = "P", description = "a preference, replacing the old list (repeatable)")
        List<String> preferences;

        @Option(names = "--fact", paramLabel = "KEY=VALUE", description = "a fact to set; KEY= removes it (repeatable)")
        Map<String, String> facts;

        @Override
        int call(GatewayClient gateway) {
            String path = "/v1/users/" + encode(userId) + "/profile";
            GatewayClient.Response response;
            if (name == null && preferences == null && facts == null) {
                response = gateway.get(path);
            } else {
                ObjectNode patch = Json.object();
                putIfPresent(patch, "name", name);
                if (preferences != null) {
                    preferences.forEach(patch.putArray("preferences")::add);
                }
                if (facts != null) {
                    ObjectNode changed = patch.putObject("facts");
                    facts.forEach((key, value) -> {
                        if (value == null || value.isEmpty()) {
                            changed.putNull(key);
                        } else {
                            changed.put(key, value);
                        }
                    });
                }
                response = gateway.send("PATCH", path, Json.toText(patch));
            }
            if (failed(response)) {
                return 1;
            }
            JsonNode profile = response.body();
            if (options.json) {
                out.println(profile.toPrettyString());
                return 0;
            }
            JsonNode fields = profile.path("profile");
            out.printf("%-12s %s%n", "user_id", profile.path("user_id").asText());
            out.printf("%-12s %s%n", "name", fields.path("name").asText("-"));
            out.printf("%-12s %s%n", "preferences", fields.path("preferences").isMissingNode() ? "[]" : fields.path("preferences"));
            out.printf("%-12s %s%n", "facts", fields.path("facts").isMissingNode() ? "{}" : fields.path("facts"));
            out.printf("%-12s %s%n", "version", profile.path("version").asText());
            return 0;
        }
    }

    @Command(name = "forget", description = "erases everything of a user: sessions, runs, summaries, contexts, memories, profile (admin key)")
    private final class Forget extends GatewayCommand {
        @Parameters(paramLabel = "USER_ID", description = "the user")
        String userId;

        @Option(names = "--detach", description = "prints the job and returns without waiting for it")
        boolean detach;

        @Override
        int call(GatewayClient gateway) {
            GatewayClient.Response response = gateway.post("/v1/users/" + encode(userId) + "/forget", null);
            if (failed(response)) {
                return 1;
            }
            String jobId = response.body().path("job_id").asText();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
            while (!detach && !response.body().path("status").asText().equals("completed") && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
                response = gateway.get("/v1/erasures/" + encode(jobId));
                if (failed(response)) {
                    return 1;
                }
            }
            JsonNode job = response.body();
            if (options.json) {
                out.println(job.toPrettyString());
            } else {
                out.println("erasure job " + jobId + " " + job.path("status").asText() + ": " + job.path("sessions_deleted").asInt()
                        + " sessions and " + job.path("rows_deleted").asInt() + " other rows deleted");
            }
            return detach || job.path("status").asText().equals("completed") ? 0 : 1;
        }
    }

    private static String memoryPath(String userId, String memoryId) {
        return "/v1/users/" + encode(userId) + "/memories/" + encode(memoryId);
    }

    private static String topics(JsonNode memory) {
        List<String> topics = new ArrayList<>();
        memory.path("topics").forEach(topic -> topics.add(topic.asText()));
        return topics.isEmpty() ? "-" : String.join(",", topics);
    }

    private static Map<String, Object> mapOf(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private int printMemory(GatewayClient.Response response, boolean json, String verb) {
        if (failed(response)) {
            return 1;
        }
        JsonNode memory = response.body();
        if (json) {
            out.println(memory.toPrettyString());
            return 0;
        }
        if (verb != null) {
            out.println(verb + " " + memory.path("memory_id").asText());
        }
        for (String field : List.of("memory_id", "user_id", "memory", "session_id", "run_id", "created_at", "updated_at")) {
            out.printf("%-10s %s%n", field, memory.path(field).isNull() ? "-" : memory.path(field).asText());
        }
        out.printf("%-10s %s%n", "topics", topics(memory));
        return 0;
    }

    private int list(GatewayClient gateway, Map<String, Object> query, boolean json) {
        StringBuilder path = new StringBuilder("/v1/sessions");
        String separator = "?";
        for (Map.Entry<String, Object> entry : query.entrySet()) {
            if (entry.getValue() != null) {
                path.append(separator).append(entry.getKey()).append('=').append(encode(entry.getValue().toString()));
                separator = "&";
            }
        }
        GatewayClient.Response response = gateway.get(path.toString());
        if (failed(response)) {
            return 1;
        }
        JsonNode page = response.body();
        if (json) {
            out.println(page.toPrettyString());
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SESSION_ID", "TYPE", "USER", "COMPONENT", "NAME", "RUNS", "UPDATED"));
        for (JsonNode session : page.path("items")) {
            rows.add(List.of(session.path("session_id").asText(), session.path("session_type").asText(),
                    session.path("user_id").asText("-"), session.path("component_id").asText(),
                    session.path("session_name").isNull() ? "-" : session.path("session_name").asText(),
                    session.path("run_count").asText(), session.path("updated_at").asText()));
        }
        printTable(rows);
        long total = page.path("total").asLong();
        int limit = page.path("limit").asInt();
        out.println("page " + page.path("page").asInt() + " of " + Math.max(1, (total + limit - 1) / limit) + ", " + total + " sessions");
        return 0;
    }

    private int show(GatewayClient gateway, String sessionId, boolean json) {
        GatewayClient.Response response = gateway.get("/v1/sessions/" + encode(sessionId));
        if (failed(response)) {
            return 1;
        }
        JsonNode session = response.body();
        if (json) {
            out.println(session.toPrettyString());
            return 0;
        }
        for (String field : List.of("session_id", "session_type", "user_id", "component_id", "session_name", "run_count", "created_at", "updated_at")) {
            out.printf("%-13s %s%n", field, session.path(field).isNull() ? "-" : session.path(field).asText());
        }
        out.printf("%-13s %s%n", "session_state", session.path("session_state"));
        out.printf("%-13s %s%n", "metadata", session.path("metadata"));
        JsonNode summary = session.path("summary");
        if (!summary.isNull() && !summary.isMissingNode()) {
            out.println("summary (covers runs 1-" + summary.path("up_to_run_index").asInt() + ", topics " + summary.path("topics") + "):");
            summary.path("summary").asText().lines().forEach(line -> out.println("  " + line));
        }
        JsonNode context = session.path("context");
        if (!context.isNull() && !context.isMissingNode()) {
            out.println("context (covers runs 1-" + context.path("up_to_run_index").asInt() + "):");
            context.path("summary").asText().lines().forEach(line -> out.println("  " + line));
            if (!context.path("goal").isNull()) {
                out.println("  goal: " + context.path("goal").asText() + "  plan: " + context.path("plan") + "  done: " + context.path("progress"));
            }
        }
        return 0;
    }

    private int rename(GatewayClient gateway, String sessionId, String name, boolean json) {
        GatewayClient.Response response = gateway.send("PATCH", "/v1/sessions/" + encode(sessionId),
                Json.toText(Json.object().put("session_name", name)));
        if (failed(response)) {
            return 1;
        }
        out.println(json ? response.body().toPrettyString() : "renamed " + sessionId + " to '" + name + "'");
        return 0;
    }

    private int delete(GatewayClient gateway, List<String> sessionIds, boolean json) {
        ObjectNode body = Json.object();
        sessionIds.forEach(body.putArray("session_ids")::add);
        GatewayClient.Response response = gateway.send("DELETE", "/v1/sessions", Json.toText(body));
        if (failed(response)) {
            return 1;
        }
        if (json) {
            out.println(response.body().toPrettyString());
        } else {
            response.body().path("deleted").forEach(id -> out.println("deleted " + id.asText()));
            response.body().path("not_found").forEach(id -> out.println("not found: " + id.asText()));
        }
        return response.body().path("not_found").isEmpty() ? 0 : 1;
    }

    private boolean failed(GatewayClient.Response response) {
        if (response.status() >= 200 && response.status() < 300) {
            return false;
        }
        JsonNode error = response.body().path("error");
        err.println("error " + response.status() + ": " + error.path("message").asText(response.body().toString())
                + (error.hasNonNull("field") ? " (field " + error.path("field").asText() + ")" : ""));
        return true;
    }

    private void printTable(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static void putIfPresent(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
