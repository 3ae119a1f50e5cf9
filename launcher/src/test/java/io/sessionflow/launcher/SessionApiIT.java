package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sessionflow.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session API on the real gateway and Postgres: listing over 1,200 sessions, changes, deletes, the API description, the CLI. */
@PipelineIT
class SessionApiIT {

    private static TestPipeline pipeline;
    private static Rows rows;
    private static final String TOKEN = "tok" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> USERS = List.of(TOKEN + "-u0", TOKEN + "-u1", TOKEN + "-u2", TOKEN + "-u3");
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<Fixture> SESSIONS = new ArrayList<>();

    /** What the test created, to compute every expected answer independently of the API. */
    record Fixture(String id, String user, String type, String component, String name, Instant created, Instant updated) {
    }

    @BeforeAll
    static void createSessions(TestPipeline shared) throws Exception {
        pipeline = shared;
        rows = new Rows(shared.database);
        String[][] components = {{"agent", "personal-assistant"}, {"agent", "chat-with-history"}, {"team", "personal-team"}};
        String[] names = {"Trip to Japan", "work notes", "TRIP budget", "groceries"};
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<GatewayClient.Response>> creations = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String[] component = components[i % 3];
            String name = TOKEN + " " + names[i % 4] + " " + i;
            ObjectNode body = Json.object().put("session_id", TOKEN + "-s" + i).put("user_id", USERS.get(i % 4))
                    .put("component_type", component[0]).put("component_id", component[1]).put("session_name", name);
            creations.add(clients.submit(() -> pipeline.client.post("/v1/sessions", Json.toText(body))));
            // Spread creation over 120 days, and updates in a different order, so the two sorts differ.
            Instant createdAt = EPOCH.plus(i * 137L % 120, ChronoUnit.DAYS).plusSeconds(i);
            Instant updatedAt = EPOCH.plus(200, ChronoUnit.DAYS).minusSeconds(i * 7919L % 100_000);
            SESSIONS.add(new Fixture(TOKEN + "-s" + i, USERS.get(i % 4), component[0], component[1], name, createdAt, updatedAt));
        }
        for (java.util.concurrent.Future<GatewayClient.Response> creation : creations) {
            GatewayClient.Response created = creation.get();
            assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        }
        clients.shutdown();
        pipeline.database.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE sessions SET created_at = ?, updated_at = ? WHERE session_id = ?")) {
                for (Fixture session : SESSIONS) {
                    update.setTimestamp(1, Timestamp.from(session.created()));
                    update.setTimestamp(2, Timestamp.from(session.updated()));
                    update.setString(3, session.id());
                    update.addBatch();
                }
                return update.executeBatch();
            }
        });
    }

    @Test
    void shouldFilterByUserTypeComponentNameAndDatesWithCorrectTotals() {
        String user = USERS.get(1);
        assertListing("user_id=" + user, s -> s.user().equals(user), Comparator.comparing(Fixture::created).reversed());
        assertListing("user_id=" + user + "&session_type=team", s -> s.user().equals(user) && s.type().equals("team"),
                Comparator.comparing(Fixture::created).reversed());
        assertListing("user_id=" + USERS.get(2) + "&component_id=chat-with-history",
                s -> s.user().equals(USERS.get(2)) && s.component().equals("chat-with-history"), Comparator.comparing(Fixture::created).reversed());
        assertListing("session_name=" + TOKEN + "%20trip", s -> s.name().toLowerCase().contains((TOKEN + " trip").toLowerCase()),
                Comparator.comparing(Fixture::created).reversed());
        Instant from = EPOCH.plus(30, ChronoUnit.DAYS);
        Instant to = EPOCH.plus(45, ChronoUnit.DAYS);
        assertListing("user_id=" + USERS.get(3) + "&from=2026-01-31&to=2026-02-15",
                s -> s.user().equals(USERS.get(3)) && !s.created().isBefore(from) && s.created().isBefore(to),
                Comparator.comparing(Fixture::created).reversed());
    }

    @Test
    void shouldSortByEitherTimestampInEitherOrderAcrossPages() {
        String user = USERS.get(0);
        Predicate<Fixture> mine = s -> s.user().equals(user);
        assertListing("user_id=" + user + "&sort_by=created_at&sort_order=asc", mine, Comparator.comparing(Fixture::created));
        assertListing("user_id=" + user + "&sort_by=updated_at", mine, Comparator.comparing(Fixture::updated).reversed());
        assertListing("user_id=" + user + "&sort_by=updated_at&sort_order=asc", mine, Comparator.comparing(Fixture::updated));
    }

    @Test
    void shouldAnswerAnEmptyPagePastTheEndWithTheTotal() {
        JsonNode page = pipeline.client.get("/v1/sessions?user_id=" + USERS.get(0) + "&page=100&limit=50").body();
        assertThat(page.path("items")).isEmpty();
        assertThat(page.path("total").asLong()).isEqualTo(300);
        assertThat(page.path("page").asInt()).isEqualTo(100);
    }

    @Test
    void shouldRenameMergeReplaceStateAndReplaceMetadata() {
        String id = SessionSemanticsIT.newId("patch");
        GatewayClient.Response created = pipeline.client.post("/v1/sessions", Json.toText(Json.object().put("session_id", id)
                .put("user_id", "patcher").put("component_type", "agent").put("component_id", "shopper")));
        assertThat(created.body().path("session_state")).isEqualTo(Json.parse("{\"shopping_list\":[],\"preferences\":{\"store\":\"corner-shop\"}}"));

        JsonNode renamed = patch(id, "{\"session_name\": \"Weekly shop\", \"metadata\": {\"tag\": \"food\"}}");
        assertThat(renamed.path("session_name").asText()).isEqualTo("Weekly shop");
        JsonNode merged = patch(id, "{\"session_state\": {\"preferences\": {\"day\": \"sat\"}}}");
        assertThat(merged.path("session_state")).isEqualTo(Json.parse(
                "{\"shopping_list\":[],\"preferences\":{\"store\":\"corner-shop\",\"day\":\"sat\"}}"));
        JsonNode replaced = patch(id, "{\"session_state\": {\"only\": 1}, \"state_mode\": \"replace\", \"metadata\": {\"v\": 2}}");
        assertThat(replaced.path("session_state")).isEqualTo(Json.parse("{\"only\":1}"));
        assertThat(replaced.path("metadata")).isEqualTo(Json.parse("{\"v\":2}"));
        assertThat(replaced.path("session_name").asText()).isEqualTo("Weekly shop");

        // The next run sees the patched state.
        GatewayClient.Response run = pipeline.client.run("agents", "shopper", SessionSemanticsIT.body("patcher", id, "what now?", null));
        assertThat(run.body().path("content").asText()).contains("\"only\" : 1");
    }

    @Test
    void shouldDeleteASessionWithItsRunsSummaryAndContextLeavingNoOrphans() {
        String id = SessionSemanticsIT.newId("delete");
        GatewayClient.Response first = pipeline.client.run("agents", "summarized", SessionSemanticsIT.body("deleter", id, "one.", null));
        pipeline.client.run("agents", "summarized", SessionSemanticsIT.body("deleter", id, "two.", null));
        pipeline.client.run("agents", "planner", SessionSemanticsIT.body("deleter", id + "-p", "Plan it.", null));
        Eventually.await("summary and context exist", Duration.ofSeconds(30), () ->
                rows.count("SELECT count(*) FROM session_summaries WHERE session_id = ?", id) == 1
                        && rows.count("SELECT count(*) FROM session_contexts WHERE session_id = ?", id + "-p") == 1);

        assertThat(pipeline.client.send("DELETE", "/v1/sessions/" + id, null).body().path("deleted")).hasSize(1);
        GatewayClient.Response bulk = pipeline.client.send("DELETE", "/v1/sessions",
                Json.toText(Json.parse("{\"session_ids\": [\"" + id + "-p\", \"" + id + "-none\"]}")));
        assertThat(bulk.body().path("deleted").get(0).asText()).isEqualTo(id + "-p");
        assertThat(bulk.body().path("not_found").get(0).asText()).isEqualTo(id + "-none");

        for (String table : List.of("sessions", "runs", "session_summaries", "session_contexts")) {
            assertThat(rows.count("SELECT count(*) FROM " + table + " WHERE session_id IN (?, ?)", id, id + "-p")).as(table).isZero();
        }
        assertThat(rows.count("SELECT count(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = r.session_id)")).isZero();
        assertThat(pipeline.client.get("/v1/runs/" + first.body().path("run_id").asText()).status()).isEqualTo(404);
        assertThat(pipeline.client.get("/v1/sessions/" + id).status()).isEqualTo(404);
    }

    @Test
    void shouldPageASessionsRunsNewestFirst() {
        String id = SessionSemanticsIT.newId("runs");
        for (int i = 1; i <= 5; i++) {
            pipeline.client.run("agents", "personal-assistant", SessionSemanticsIT.body("pager", id, "m" + i, null));
        }
        JsonNode first = pipeline.client.get("/v1/sessions/" + id + "/runs?limit=2").body();
        assertThat(first.path("total").asInt()).isEqualTo(5);
        assertThat(first.path("items")).extracting(run -> run.path("run_index").asInt()).containsExactly(5, 4);
        JsonNode last = pipeline.client.get("/v1/sessions/" + id + "/runs?limit=2&page=3").body();
        assertThat(last.path("items")).extracting(run -> run.path("run_index").asInt()).containsExactly(1);
        JsonNode oldest = pipeline.client.get("/v1/sessions/" + id + "/runs?sort_order=asc&limit=3").body();
        assertThat(oldest.path("items")).extracting(run -> run.path("input").path("message").asText()).containsExactly("m1", "m2", "m3");
    }

    @Test
    void shouldDescribeExactlyTheRoutesTheGatewayServes() throws Exception {
        GatewayClient.Response response = new GatewayClient(pipeline.gateway.url(), null).get("/v1/openapi.yaml");
        assertThat(response.status()).isEqualTo(200);
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(response.body().path("text").asText());
        TreeSet<String> described = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> described.add(method.toUpperCase() + " " + path.getKey()));
        }
        assertThat(described).isEqualTo(new TreeSet<>(pipeline.gateway.routes()));
    }

    @Test
    void shouldListShowRenameAndDeleteFromTheCommandLine() {
        String id = TOKEN + "-s7";
        Map<String, String> env = Map.of("SESSIONFLOW_URL", pipeline.gateway.url(), "SESSIONFLOW_API_KEY", TestPipeline.ADMIN_KEY);

        CliRun list = cli(env, "sessions", "list", "--user", USERS.get(3), "--limit", "3", "--order", "asc");
        assertThat(list.status).isZero();
        assertThat(list.out.lines().findFirst().orElseThrow()).matches("SESSION_ID +TYPE +USER +COMPONENT +NAME +RUNS +UPDATED");
        assertThat(list.out).contains("page 1 of 100, 300 sessions");

        assertThat(cli(env, "sessions", "rename", id, "Renamed from the CLI").status).isZero();
        CliRun show = cli(env, "sessions", "show", id);
        assertThat(show.out).contains("session_name  Renamed from the CLI");
        CliRun json = cli(env, "sessions", "show", id, "--json");
        assertThat(Json.parse(json.out).path("session_name").asText()).isEqualTo("Renamed from the CLI");

        CliRun run = cli(env, "run", "--agent", "personal-assistant", "--session", TOKEN + "-cli", "--user", "cli-user",
                "--state", "{\"user_name\":\"Cleo\",\"age\":7}", "What is my name?");
        assertThat(run.status).isZero();
        assertThat(run.out).startsWith("run 1 completed on session " + TOKEN + "-cli (local)").contains("Users name is Cleo and age is 7");

        CliRun delete = cli(env, "sessions", "delete", TOKEN + "-cli");
        assertThat(delete.out).isEqualTo("deleted " + TOKEN + "-cli\n");
        CliRun missing = cli(env, "sessions", "show", TOKEN + "-cli");
        assertThat(missing.status).isEqualTo(1);
        assertThat(missing.err).contains("error 404: session " + TOKEN + "-cli not found");
        assertThat(cli(env, "sessions", "frobnicate").status).isEqualTo(2);
    }

    private record CliRun(int status, String out, String err) {
    }

    private static CliRun cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env).main(args);
        return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode patch(String id, String body) {
        GatewayClient.Response response = pipeline.client.send("PATCH", "/v1/sessions/" + id, body);
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body();
    }

    /** Reads every page of a listing (limit 37, so pages do not align with anything) and compares with the fixtures. */
    private static void assertListing(String query, Predicate<Fixture> filter, Comparator<Fixture> order) {
        // Fixture timestamps are all distinct, so the order is total without a tie-break.
        List<String> expected = SESSIONS.stream().filter(filter).sorted(order).map(Fixture::id).toList();
        List<String> actual = new ArrayList<>();
        long total = -1;
        for (int page = 1; page < 100; page++) {
            JsonNode body = pipeline.client.get("/v1/sessions?" + query + "&limit=37&page=" + page).body();
            total = body.path("total").asLong();
            if (body.path("items").isEmpty()) {
                break;
            }
            body.path("items").forEach(item -> actual.add(item.path("session_id").asText()));
        }
        assertThat(total).as("total of %s", query).isEqualTo(expected.size());
        assertThat(expected).as("the fixtures of %s", query).isNotEmpty();
        assertThat(actual).as("items of %s", query).containsExactlyElementsOf(expected);
    }
}
