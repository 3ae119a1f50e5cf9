package io.sessionflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The examples of Agno's session documentation, run end to end through the real gateway, Kafka,
 * run-worker and Postgres, with the transcript printed. Each step also checks what it shows, so the
 * demo fails loudly (exit 1) instead of printing a wrong story.
 */
final class Demo {

    private final GatewayClient gateway;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    Demo(GatewayClient gateway, PrintStream out) {
        this.gateway = gateway;
        this.out = out;
    }

    /** @return the checks that failed; empty when the demo showed what it should */
    List<String> run() {
        out.println("Sessionflow demo: every run below goes gateway -> Kafka -> run-worker -> model -> Postgres.");
        out.println("The model is the built-in local model: it answers by reporting the context it received.");

        section("Agent 'personal-assistant': session state is stored and loaded back from Postgres");
        statePair("agents", "personal-assistant", "user_1", "user_1_session_1", "John", 30);
        statePair("agents", "personal-assistant", "user_2", "user_2_session_1", "Jane", 25);

        section("Team 'personal-team' (no members): the same runs on team sessions");
        statePair("teams", "personal-team", "user_1", "user_1_team_session_1", "John", 30);
        statePair("teams", "personal-team", "user_2", "user_2_team_session_1", "Jane", 25);
        JsonNode teamRun = gateway.get("/v1/runs/" + lastRunId).body();
        check("team run is typed team", "team".equals(teamRun.path("component_type").asText()));

        section("Agent 'chat-with-history': the previous exchange is in the next run's context");
        step("agents", "chat-with-history", "user_1", "user_1_history_session", "My favorite color is blue", null);
        JsonNode second = step("agents", "chat-with-history", "user_1", "user_1_history_session", "What's my favorite color?", null);
        check("the second run's history holds the first exchange",
                second.path("content").asText().contains("user: \"My favorite color is blue\""));

        summaries();
        summaryInsteadOfHistory();
        sessionContext();
        planning();
        memories();
        workflow();
        agenticState();
        pausedRun();

        out.println();
        out.println(failures.isEmpty() ? "Demo finished: every check passed." : "Demo FAILED: " + failures);
        return failures;
    }

    private void summaries() {
        section("Agent 'long-chat': a session summary kept off the response path, in the later runs' context");
        String session = "user_1_trip_session";
        List<String> messages = List.of("Hi, I'm planning a trip to Japan in April.", "I love hiking and hot springs.",
                "My budget is about 3000 dollars.", "I'd like to avoid big crowds.", "I'm vegetarian, by the way.",
                "Which region would suit me?");
        for (String message : messages) {
            step("agents", "long-chat", "user_1", session, message, null);
        }
        JsonNode summary = awaitCovered(session, "summary", messages.size());
        out.println();
        out.println("  summary (covers runs 1-" + summary.path("up_to_run_index").asInt() + ", " + summary.path("model").asText()
                + ", " + summary.path("prompt_version").asText() + ", topics " + summary.path("topics") + "):");
        summary.path("summary").asText().lines().forEach(line -> out.println("    " + line));
        JsonNode next = step("agents", "long-chat", "user_1", session, "Remind me what you know about me.", null);
        check("the next run's context holds the summary block",
                next.path("content").asText().contains("<summary_of_previous_interactions>"));
    }

    /**
     * The seed: the summary "is used instead of full history to save tokens". The same six messages go to
     * long-chat (summary beside a 2-run history window) and long-chat-lean (history_after_summary: only
     * the runs the summary does not cover yet), each run after the summary caught up; the input tokens
     * the model was sent show the difference.
     */
    private void summaryInsteadOfHistory() {
        section("Agents 'long-chat' and 'long-chat-lean': the summary instead of the history it covers, to save tokens");
        List<String> messages = List.of("Hi, I'm planning a trip to Japan in April.", "I love hiking and hot springs.",
                "My budget is about 3000 dollars.", "I'd like to avoid big crowds.", "I'm vegetarian, by the way.",
                "Which region would suit me?");
        List<Long> beside = new ArrayList<>();
        List<Long> instead = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            beside.add(quietRun("long-chat", "user_1_tokens_beside", messages.get(i)).path("metrics").path("input_tokens").asLong());
            instead.add(quietRun("long-chat-lean", "user_1_tokens_instead", messages.get(i)).path("metrics").path("input_tokens").asLong());
            awaitCovered("user_1_tokens_beside", "summary", i + 1);
            awaitCovered("user_1_tokens_instead", "summary", i + 1);
        }
        out.println();
        out.println("  input tokens sent to the model, run by run (local model: one token per word):");
        out.println("    summary beside the history window (long-chat):          " + beside);
        out.println("    summary instead of the runs it covers (long-chat-lean): " + instead);
        check("with the summary instead of history, the last run sends fewer tokens",
                instead.get(instead.size() - 1) < beside.get(beside.size() - 1));
    }

    /** A run whose answer is not printed (the section prints what it measured instead). */
    private JsonNode quietRun(String component, String session, String message) {
        ObjectNode body = Json.object().put("message", message).put("user_id", "user_1").put("session_id", session);
        GatewayClient.Response response = gateway.run("agents", component, body);
        if (response.status() != 200) {
            check("run answered 200 (got " + response.status() + ": " + response.body() + ")", false);
        }
        return response.body();
    }

    private void sessionContext() {
        section("Agent 'api-designer': a session-context snapshot, built from questions and answers");
        String session = "user_1_api_session";
        step("agents", "api-designer", "user_1", session,
                "I'm designing a REST API for a todo app. Should I use PUT or PATCH for updates?", null);
        printContext(awaitCovered(session, "context", 1));
        JsonNode second = step("agents", "api-designer", "user_1", session, "What about the delete endpoint?", null);
        check("the second run's context holds the <session_context> block", second.path("content").asText().contains("<session_context>"));
    }

    private void planning() {
        section("Agent 'deploy-planner': planning mode keeps goal, plan and progress");
        String session = "user_1_deploy_session";
        step("agents", "deploy-planner", "user_1", session, "Help me deploy a Python app to production. Give me the steps.", null);
        awaitCovered(session, "context", 1);
        step("agents", "deploy-planner", "user_1", session, "Done with step 1. What's next?", null);
        JsonNode context = awaitCovered(session, "context", 2);
        printContext(context);
        check("planning mode kept the goal", context.path("goal").asText().startsWith("Help me deploy a Python app"));
        check("planning mode recorded progress", context.path("progress").size() == 1);
        // The local model writes numbered steps when asked for them (split from the request by rule), so there is a plan.
        check("planning mode kept a numbered plan from the first answer", context.path("plan").size() == 3);
        JsonNode later = step("agents", "deploy-planner", "user_1", session, "Step 2 is done as well. What remains?", null);
        String block = sessionContextBlock(later.path("content").asText());
        out.println();
        out.println("  the <session_context> block run 3 received, as the seed lays it out:");
        block.lines().forEach(line -> out.println((line.startsWith("✓ ") || line.matches("\\d+\\. .*") || line.startsWith("- ") ? "      " : "    ") + line));
        check("a later run's context has the goal, the numbered plan and the completed step with ✓",
                block.contains("Goal: Help me deploy a Python app to production.")
                        && block.contains("Plan:\n1. Prepare: deploy a Python app to production\n2. Do: deploy")
                        && block.contains("Completed:\n✓ Prepare: deploy a Python app to production"));
    }

    /**
     * The {@code <session_context>} block out of the local model's report of its system message, which
     * it writes on one line with " / " for each line break.
     */
    private static String sessionContextBlock(String content) {
        int start = content.indexOf("<session_context>");
        int end = content.indexOf("</session_context>");
        if (start < 0 || end < start) {
            return "";
        }
        return String.join("\n", content.substring(start, end + "</session_context>".length()).split(" / "));
    }

    /** Item 7 of issue 14: a workflow session, its steps run one after the other as child runs, each answering the last. */
    private void workflow() {
        section("Workflow 'research-and-write': steps researcher -> writer, each a run of its own, in one workflow session");
        String session = "user_1_workflow_session";
        JsonNode run = step("workflows", "research-and-write", "user_1", session, "Why are there two tides a day?",
                Json.object().put("topic", "tides"));
        JsonNode stored = gateway.get("/v1/runs/" + run.path("run_id").asText()).body();
        JsonNode children = stored.path("children");
        out.println();
        out.println("  the workflow run " + stored.path("run_id").asText() + " (" + stored.path("status").asText() + ", run "
                + stored.path("run_index").asText() + ") and its steps, children on the bus:");
        for (JsonNode child : children) {
            out.println("    " + child.path("run_id").asText() + "  " + child.path("component_type").asText() + " "
                    + child.path("component_id").asText() + "  " + child.path("status").asText() + ", run " + child.path("run_index").asText());
        }
        check("the workflow run completed, typed workflow", "completed".equals(stored.path("status").asText())
                && "workflow".equals(stored.path("component_type").asText()));
        String runId = stored.path("run_id").asText();
        check("its steps ran in order as its children", children.size() == 2
                && (runId + ":step-1").equals(children.path(0).path("run_id").asText())
                && (runId + ":step-2").equals(children.path(1).path("run_id").asText())
                && children.path(0).path("run_index").asInt() < children.path(1).path("run_index").asInt());
        check("the writer's message was the researcher's answer",
                children.path(1).path("input").path("message").asText().equals(children.path(0).path("content").asText()));
        check("the workflow answered with its last step's answer",
                stored.path("content").asText().equals(children.path(1).path("content").asText()));
        // Their instructions name {topic}, which only the workflow session's state holds.
        check("both steps saw the workflow session's state",
                children.path(0).path("content").asText().toLowerCase(java.util.Locale.ROOT).contains("research tides")
                        && children.path(1).path("content").asText().toLowerCase(java.util.Locale.ROOT).contains("write about tides"));
        JsonNode sessionView = gateway.get("/v1/sessions/" + session).body();
        out.println("  session " + session + " is typed " + sessionView.path("session_type").asText() + ", state "
                + sessionView.path("session_state"));
        check("the session is typed workflow", "workflow".equals(sessionView.path("session_type").asText()));
    }

    /** The seed's "Using Both Together": a fact learnt in one session of a user is known in a new one, and only to that user. */
    private void memories() {
        section("Agent 'memory-assistant': user memories, learnt off the response path, known in every session of that user only");
        step("agents", "memory-assistant", "user_1", "user_1_food_session_1", "I love pizza, especially margherita", null);
        JsonNode memory = awaitMemory("user_1", "pizza");
        out.println();
        out.println("  memory of user_1 (from session " + memory.path("session_id").asText("-") + ", topics " + memory.path("topics") + "):");
        out.println("    " + memory.path("memory").asText());
        JsonNode known = step("agents", "memory-assistant", "user_1", "user_1_food_session_2", "What food do I like?", null);
        check("a new session of user_1 has the memory in its context",
                known.path("content").asText().contains("<memories_from_previous_interactions>")
                        && known.path("content").asText().contains("pizza"));
        JsonNode other = step("agents", "memory-assistant", "user_2", "user_2_food_session_1", "What food do I like?", null);
        check("user_2's session shows nothing of user_1's memories", !other.path("content").asText().contains("pizza"));
    }

    /** Waits until the user has a memory containing the text: memories are extracted asynchronously, per user. */
    /** Agno's shopping-list example: the model edits the session state through update_session_state, and the list is kept. */
    private void agenticState() {
        section("Agent 'shopping-assistant': agentic state - the model edits the session state with update_session_state");
        String session = "user_1_shopping_session";
        step("agents", "shopping-assistant", "user_1", session,
                "/tool update_session_state {\"session_state_updates\": {\"shopping_list\": [\"milk\", \"eggs\", \"bread\"]}}", null);
        check("the list is added to the stored session state",
                shoppingList(session).equals(Json.parse("[\"milk\", \"eggs\", \"bread\"]")));
        step("agents", "shopping-assistant", "user_1", session,
                "/tool update_session_state {\"session_state_updates\": {\"shopping_list\": [\"milk\", \"bread\"]}}", null);
        check("eggs are removed from the stored list", shoppingList(session).equals(Json.parse("[\"milk\", \"bread\"]")));
        JsonNode listed = step("agents", "shopping-assistant", "user_1", session, "What is on my list?", null);
        String seen = listed.path("content").asText();
        check("a later run sees the list from Postgres", seen.contains("milk") && seen.contains("bread") && !seen.contains("eggs"));
        check("a plain message leaves the state alone", shoppingList(session).equals(Json.parse("[\"milk\", \"bread\"]")));
        out.println("  stored session_state: " + gateway.get("/v1/sessions/" + session).body().path("session_state"));
    }

    private JsonNode shoppingList(String session) {
        return gateway.get("/v1/sessions/" + session).body().path("session_state").path("shopping_list");
    }

    /** A run that waits for an external tool's result, holding no worker, continued by the caller over HTTP. */
    private void pausedRun() {
        section("Agent 'order-desk': a paused run - the caller executes the external tool and continues the run");
        JsonNode paused = step("agents", "order-desk", "user_1", "user_1_order_session", "/tool look_up_order {\"order_id\": \"A-1001\"}", null);
        check("the run pauses for the external tool", "paused".equals(paused.path("status").asText()));
        JsonNode call = paused.path("pending_tool_calls").path(0);
        out.println("  pending: " + call.path("tool_name").asText() + " " + call.path("arguments").asText() + " (call "
                + call.path("call_id").asText() + ", awaiting " + call.path("awaiting").asText() + "; the pause times out at "
                + paused.path("pause_expires_at").asText() + ")");
        String result = "order A-1001: shipped on 2026-03-02, arriving Thursday";
        out.println();
        out.println("> the caller runs look_up_order itself, then POST /v1/runs/" + paused.path("run_id").asText() + "/continue");
        out.println("> {\"tool_results\": [{\"call_id\": \"" + call.path("call_id").asText() + "\", \"content\": \"" + result + "\"}]}");
        ObjectNode body = Json.object();
        body.putArray("tool_results").addObject().put("call_id", call.path("call_id").asText()).put("content", result);
        GatewayClient.Response continued = gateway.post("/v1/runs/" + paused.path("run_id").asText() + "/continue?wait=true", Json.toText(body));
        JsonNode run = continued.body();
        out.println("< run " + run.path("run_index").asText() + " " + run.path("status").asText() + " (" + run.path("model").asText() + ")");
        run.path("content").asText().lines().forEach(line -> out.println("  " + line));
        check("the continued run completes with the caller's result", continued.status() == 200
                && "completed".equals(run.path("status").asText()) && run.path("content").asText().contains(result));
    }

    private JsonNode awaitMemory(String user, String text) {
        JsonNode memory = await("a memory of " + user + " about '" + text + "' is stored",
                () -> gateway.get("/v1/users/" + user + "/memories?q=" + text).body().path("items").path(0));
        return memory.isMissingNode() ? Json.object() : memory;
    }

    private void printContext(JsonNode context) {
        out.println();
        out.println("  session context (covers runs 1-" + context.path("up_to_run_index").asInt() + ", " + context.path("prompt_version").asText() + "):");
        context.path("summary").asText().lines().forEach(line -> out.println("    " + line));
        if (!context.path("goal").isNull()) {
            out.println("    goal: " + context.path("goal").asText());
            out.println("    plan: " + context.path("plan"));
            out.println("    progress: " + context.path("progress"));
        }
    }

    /** Waits until the session's summary or context covers the given run: they are updated asynchronously. */
    private JsonNode awaitCovered(String session, String kind, int runIndex) {
        JsonNode[] last = {Json.object()};
        JsonNode covered = await("the " + kind + " of " + session + " covers run " + runIndex, () -> {
            last[0] = gateway.get("/v1/sessions/" + session).body().path(kind);
            return last[0].path("up_to_run_index").asInt() >= runIndex ? last[0] : MissingNode.getInstance();
        });
        return covered.isMissingNode() ? last[0] : covered;
    }

    /**
     * Polls until {@code poll} answers something other than a missing node, for at most 30 s (the
     * workers update asynchronously); a timeout is a failed check, and the missing node is returned.
     */
    private JsonNode await(String what, java.util.function.Supplier<JsonNode> poll) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode found = poll.get();
            if (!found.isMissingNode()) {
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        check(what + " within 30 s", false);
        return MissingNode.getInstance();
    }

    private void statePair(String kind, String component, String user, String session, String name, int age) {
        ObjectNode state = Json.object().put("user_name", name).put("age", age);
        JsonNode first = step(kind, component, user, session, "What is my name?", state);
        check(session + ": first run sees the state it was given",
                first.path("content").asText().contains("Users name is " + name + " and age is " + age));
        JsonNode second = step(kind, component, user, session, "How old am I?", null);
        check(session + ": second run, sent without state, sees the state stored in Postgres",
                second.path("content").asText().contains("Users name is " + name + " and age is " + age));
        check(session + ": runs are numbered 1 and 2", first.path("run_index").asInt() == 1 && second.path("run_index").asInt() == 2);
    }

    private String lastRunId;

    private JsonNode step(String kind, String component, String user, String session, String message, ObjectNode state) {
        ObjectNode body = Json.object().put("message", message).put("user_id", user).put("session_id", session);
        if (state != null) {
            body.set("session_state", state);
        }
        out.println();
        out.println("> " + user + " on session " + session + (state != null ? " with session_state " + state : " (no state sent)"));
        out.println("> " + message);
        GatewayClient.Response response = gateway.run(kind, component, body);
        JsonNode run = response.body();
        lastRunId = run.path("run_id").asText();
        if (response.status() != 200) {
            check("run answered 200 (got " + response.status() + ": " + run + ")", false);
            return run;
        }
        if ("paused".equals(run.path("status").asText())) {
            out.println("< run paused: it waits for " + run.path("pending_tool_calls").size() + " tool call(s), holding no worker");
            return run;
        }
        out.println("< run " + run.path("run_index").asText() + " " + run.path("status").asText() + " (" + run.path("model").asText() + ")");
        run.path("content").asText().lines().forEach(line -> out.println("  " + line));
        return run;
    }

    private void section(String title) {
        out.println();
        out.println("== " + title + " ==");
    }

    private void check(String what, boolean ok) {
        if (!ok) {
            failures.add(what);
            out.println("  CHECK FAILED: " + what);
        }
    }
}
