package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The memories and profile API on the real stack: every route by hand, and each user sees only their own. */
@PipelineIT
class MemoriesApiIT {

    private final TestPipeline pipeline;
    private final GatewayClient alice;
    private final GatewayClient bob;

    MemoriesApiIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.alice = pipeline.client.withKey(TestPipeline.keyFor("alice"));
        this.bob = pipeline.client.withKey(TestPipeline.keyFor("bob"));
    }

    private JsonNode add(GatewayClient client, String user, String memory, String... topics) {
        var body = Json.object().put("memory", memory);
        var array = body.putArray("topics");
        for (String topic : topics) {
            array.add(topic);
        }
        GatewayClient.Response response = client.post("/v1/users/" + user + "/memories", Json.toText(body));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(201);
        return response.body();
    }

    @Test
    void shouldAddListFilterEditAndDeleteMemoriesByHand() {
        String marker = UUID.randomUUID().toString();
        JsonNode tea = add(alice, "alice", "Drinks green tea " + marker, "Drinks");
        add(alice, "alice", "Lives in Lisbon " + marker, "places");
        String teaId = tea.path("memory_id").asText();
        assertThat(tea.path("topics").get(0).asText()).isEqualTo("drinks");
        assertThat(tea.path("session_id").isNull()).isTrue();

        JsonNode page = alice.get("/v1/users/alice/memories?q=" + marker + "&limit=1").body();
        assertThat(page.path("total").asInt()).isEqualTo(2);
        assertThat(page.path("items")).hasSize(1);
        JsonNode drinks = alice.get("/v1/users/alice/memories?topic=drinks&q=" + marker).body();
        assertThat(drinks.path("items")).extracting(JsonNode::asText).hasSize(1);
        assertThat(drinks.path("items").get(0).path("memory_id").asText()).isEqualTo(teaId);

        GatewayClient.Response edited = alice.send("PATCH", "/v1/users/alice/memories/" + teaId, "{\"memory\": \"Drinks black tea " + marker + "\"}");
        assertThat(edited.status()).as("%s", edited.body()).isEqualTo(200);
        assertThat(edited.body().path("memory").asText()).isEqualTo("Drinks black tea " + marker);
        assertThat(edited.body().path("topics").get(0).asText()).isEqualTo("drinks");
        assertThat(alice.get("/v1/users/alice/memories/" + teaId).body().path("memory").asText()).startsWith("Drinks black tea");

        assertThat(alice.send("DELETE", "/v1/users/alice/memories/" + teaId, null).status()).isEqualTo(200);
        assertThat(alice.get("/v1/users/alice/memories/" + teaId).status()).isEqualTo(404);
        assertThat(alice.send("DELETE", "/v1/users/alice/memories/" + teaId, null).status()).isEqualTo(404);
    }

    @Test
    void shouldPatchTheProfileAndRefuseWhatBreaksItsSchemaNamingTheField() {
        String city = "City " + UUID.randomUUID();
        GatewayClient.Response patched = alice.send("PATCH", "/v1/users/alice/profile",
                "{\"name\": \"Alice\", \"facts\": {\"location\": \"" + city + "\"}}");
        assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);
        assertThat(alice.get("/v1/users/alice/profile").body().path("profile").path("facts").path("location").asText()).isEqualTo(city);

        GatewayClient.Response wrong = alice.send("PATCH", "/v1/users/alice/profile", "{\"preferences\": \"pizza\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body().path("error").path("field").asText()).isEqualTo("preferences");
        GatewayClient.Response unknown = alice.send("PATCH", "/v1/users/alice/profile", "{\"age\": 3}");
        assertThat(unknown.body().path("error").path("field").asText()).isEqualTo("age");
        GatewayClient.Response nul = alice.post("/v1/users/alice/memories", "{\"memory\": \"a\\u0000b\"}");
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.body().path("error").path("field").asText()).isEqualTo("memory");
        GatewayClient.Response blank = alice.post("/v1/users/alice/memories", "{\"memory\": \"  \"}");
        assertThat(blank.body().path("error").path("field").asText()).isEqualTo("memory");
    }

    @Test
    void shouldKeepEachUsersMemoriesAndProfileInvisibleToAnotherUserByEveryRouteButNotToAdmins() {
        String secret = "Secret " + UUID.randomUUID();
        String id = add(alice, "alice", secret).path("memory_id").asText();

        assertThat(bob.get("/v1/users/alice/memories").status()).isEqualTo(404);
        assertThat(bob.post("/v1/users/alice/memories", "{\"memory\": \"planted\"}").status()).isEqualTo(404);
        assertThat(bob.get("/v1/users/alice/memories/" + id).status()).isEqualTo(404);
        assertThat(bob.send("PATCH", "/v1/users/alice/memories/" + id, "{\"memory\": \"changed\"}").status()).isEqualTo(404);
        assertThat(bob.send("DELETE", "/v1/users/alice/memories/" + id, null).status()).isEqualTo(404);
        assertThat(bob.get("/v1/users/alice/profile").status()).isEqualTo(404);
        assertThat(bob.send("PATCH", "/v1/users/alice/profile", "{\"name\": \"Mallory\"}").status()).isEqualTo(404);
        // Through bob's own user, alice's memory id is not found either.
        assertThat(bob.get("/v1/users/bob/memories/" + id).status()).isEqualTo(404);
        assertThat(bob.send("DELETE", "/v1/users/bob/memories/" + id, null).status()).isEqualTo(404);
        assertThat(bob.post("/v1/users/alice/forget", null).status()).isEqualTo(403);

        assertThat(pipeline.client.get("/v1/users/alice/memories/" + id).body().path("memory").asText()).isEqualTo(secret);
        assertThat(alice.get("/v1/users/alice/memories/" + id).body().path("memory").asText()).isEqualTo(secret);
    }

    @Test
    void shouldCoverTheSameWithTheCommandLine() {
        String user = "cli-" + UUID.randomUUID();
        CliRun added = cli("memories", "add", user, "Prefers short answers", "--topic", "style");
        assertThat(added.status()).as(added.err()).isZero();
        String id = added.out().lines().findFirst().orElseThrow().substring("added ".length());
        assertThat(cli("memories", "list", user, "--topic", "style").out()).contains(id).contains("Prefers short answers").contains("1 memories");
        assertThat(cli("memories", "edit", user, id, "--text", "Prefers long answers").out()).contains("Prefers long answers");
        assertThat(cli("memories", "show", user, id).out()).contains("Prefers long answers").contains("style");
        assertThat(cli("memories", "profile", user, "--name", "Cleo", "--fact", "city=Oslo").out()).contains("Cleo").contains("Oslo");
        assertThat(cli("memories", "delete", user, id).out()).contains("deleted " + id);
        assertThat(cli("memories", "show", user, id).status()).isEqualTo(1);
        CliRun forgotten = cli("memories", "forget", user);
        assertThat(forgotten.status()).as(forgotten.err()).isZero();
        assertThat(forgotten.out()).contains("completed");
        assertThat(pipeline.client.get("/v1/users/" + user + "/profile").body().path("version").asInt()).isZero();
    }

    private record CliRun(int status, String out, String err) {
    }

    private CliRun cli(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = new Cli(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                java.util.Map.of("SESSIONFLOW_URL", pipeline.gateway.url(), "SESSIONFLOW_API_KEY", TestPipeline.ADMIN_KEY)).main(args);
        return new CliRun(status, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
