package io.sessionflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line against a running gateway: {@code run} and {@code sessions list|show|rename|delete}.
 * Readable tables by default, the gateway's JSON with {@code --json}. Exit status: 0 done, 1 the
 * gateway refused (its error is printed), 2 a usage mistake.
 */
final class Cli {

    private static final String SESSIONS_USAGE = """
            usage: ./sessionflow sessions list [--user U] [--type agent|team] [--component C] [--name TEXT]
                                               [--from DATE] [--to DATE] [--page N] [--limit N]
                                               [--sort-by created_at|updated_at] [--order asc|desc]
                   ./sessionflow sessions show SESSION_ID
                   ./sessionflow sessions rename SESSION_ID NEW_NAME
                   ./sessionflow sessions delete SESSION_ID [SESSION_ID ...]
            each with [--url URL] [--key KEY] [--json]""";

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

    int main(String[] args) {
        Parsed parsed;
        try {
            parsed = Parsed.of(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        GatewayClient gateway = new GatewayClient(parsed.option("--url", env.getOrDefault("SESSIONFLOW_URL", "http://127.0.0.1:8080")),
                parsed.option("--key", env.get("SESSIONFLOW_API_KEY")));
        try {
            return switch (parsed.positional.get(0)) {
                case "run" -> run(gateway, parsed);
                case "sessions" -> sessions(gateway, parsed);
                case "reprocess" -> reprocess(gateway, parsed);
                default -> usage("unknown command " + parsed.positional.get(0));
            };
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private int run(GatewayClient gateway, Parsed parsed) {
        String agent = parsed.option("--agent", null);
        String team = parsed.option("--team", null);
        if ((agent == null) == (team == null) || parsed.positional.size() != 2) {
            return usage("usage: ./sessionflow run --agent ID | --team ID [--session S] [--user U] [--state JSON] [--url URL] [--key KEY] [--json] \"message\"");
        }
        ObjectNode body = Json.object().put("message", parsed.positional.get(1));
        putIfPresent(body, "session_id", parsed.option("--session", null));
        putIfPresent(body, "user_id", parsed.option("--user", null));
        String state = parsed.option("--state", null);
        if (state != null) {
            try {
                body.set("session_state", Json.parse(state));
            } catch (IllegalArgumentException e) {
                return usage("--state must be JSON: " + e.getMessage());
            }
        }
        GatewayClient.Response response = gateway.run(agent != null ? "agents" : "teams", agent != null ? agent : team, body);
        if (failed(response)) {
            return 1;
        }
        JsonNode run = response.body();
        if (parsed.json) {
            out.println(run.toPrettyString());
        } else {
            out.println("run " + run.path("run_index").asText("?") + " " + run.path("status").asText() + " on session "
                    + run.path("session_id").asText() + " (" + run.path("model").asText() + ")");
            out.println(run.path("content").asText(run.path("error").asText("")));
        }
        return 0;
    }

    private int reprocess(GatewayClient gateway, Parsed parsed) {
        String usage = """
                usage: ./sessionflow reprocess summaries|context|both [--user U] [--component C] [--session S ...]
                                   [--created-from T] [--created-to T] [--updated-from T] [--updated-to T]
                                   [--prompt-version V] [--detach] [--json] [--url URL] [--key KEY]""";
        if (parsed.positional.size() != 2 || !List.of("summaries", "context", "both").contains(parsed.positional.get(1))) {
            return usage(usage);
        }
        ObjectNode filter = Json.object();
        Map.of("--user", "user_id", "--component", "component_id", "--created-from", "created_from", "--created-to", "created_to",
                "--updated-from", "updated_from", "--updated-to", "updated_to").forEach((option, field) -> putIfPresent(filter, field, parsed.option(option, null)));
        if (!parsed.all("--session").isEmpty()) {
            parsed.all("--session").forEach(filter.putArray("session_ids")::add);
        }
        ObjectNode body = Json.object().put("kind", parsed.positional.get(1));
        body.set("filter", filter);
        putIfPresent(body, "prompt_version", parsed.option("--prompt-version", null));
        GatewayClient.Response started = gateway.post("/v1/reprocess", Json.toText(body));
        if (failed(started)) {
            return 1;
        }
        String jobId = started.body().path("job_id").asText();
        if (parsed.detach) {
            out.println(parsed.json ? started.body().toPrettyString() : jobId);
            return 0;
        }
        JsonNode job = started.body();
        while ("running".equals(job.path("status").asText())) {
            if (!parsed.json) {
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
        if (parsed.json) {
            out.println(job.toPrettyString());
        } else {
            out.println("\r" + progressLine(job));
            out.println("job " + jobId + " " + job.path("status").asText());
        }
        return job.path("status").asText().equals("completed") && job.path("failed").asLong() == 0 ? 0 : 1;
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

    private int sessions(GatewayClient gateway, Parsed parsed) {
        if (parsed.positional.size() < 2) {
            return usage(SESSIONS_USAGE);
        }
        List<String> rest = parsed.positional.subList(2, parsed.positional.size());
        return switch (parsed.positional.get(1)) {
            case "list" -> rest.isEmpty() ? list(gateway, parsed) : usage(SESSIONS_USAGE);
            case "show" -> rest.size() == 1 ? show(gateway, rest.get(0), parsed.json) : usage(SESSIONS_USAGE);
            case "rename" -> rest.size() == 2 ? rename(gateway, rest.get(0), rest.get(1), parsed.json) : usage(SESSIONS_USAGE);
            case "delete" -> !rest.isEmpty() ? delete(gateway, rest, parsed.json) : usage(SESSIONS_USAGE);
            default -> usage(SESSIONS_USAGE);
        };
    }

    private int list(GatewayClient gateway, Parsed parsed) {
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> options = Map.of("--user", "user_id", "--type", "session_type", "--component", "component_id",
                "--name", "session_name", "--from", "from", "--to", "to", "--page", "page", "--limit", "limit",
                "--sort-by", "sort_by", "--order", "sort_order");
        options.forEach((option, param) -> {
            String value = parsed.option(option, null);
            if (value != null) {
                query.put(param, value);
            }
        });
        StringBuilder path = new StringBuilder("/v1/sessions");
        String separator = "?";
        for (Map.Entry<String, String> entry : query.entrySet()) {
            path.append(separator).append(entry.getKey()).append('=').append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
            separator = "&";
        }
        GatewayClient.Response response = gateway.get(path.toString());
        if (failed(response)) {
            return 1;
        }
        JsonNode page = response.body();
        if (parsed.json) {
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

    private int usage(String message) {
        err.println(message);
        return 2;
    }

    private static void putIfPresent(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code --name value} options, {@code --json}, and positional words, in any order. */
    private record Parsed(List<String> positional, Map<String, List<String>> options, boolean json, boolean detach) {

        static Parsed of(String[] args) {
            List<String> positional = new ArrayList<>();
            Map<String, List<String>> options = new LinkedHashMap<>();
            boolean json = false;
            boolean detach = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--json")) {
                    json = true;
                } else if (arg.equals("--detach")) {
                    detach = true;
                } else if (arg.startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    options.computeIfAbsent(arg, name -> new ArrayList<>()).add(args[++i]);
                } else {
                    positional.add(arg);
                }
            }
            return new Parsed(positional, options, json, detach);
        }

        /** The option's value (the last, if given more than once). */
        String option(String name, String defaultValue) {
            List<String> values = options.get(name);
            return values == null ? defaultValue : values.get(values.size() - 1);
        }

        List<String> all(String name) {
            return options.getOrDefault(name, List.of());
        }
    }
}
