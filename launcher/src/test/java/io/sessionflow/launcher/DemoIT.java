package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo's scripted conversations pass their own checks and print what the issue asks to see. */
@PipelineIT
class DemoIT {

    @Test
    void shouldShowStateFromPostgresTeamsAndHistory(TestPipeline pipeline) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        var failures = new Demo(pipeline.client, new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
        String transcript = buffer.toString(StandardCharsets.UTF_8);

        assertThat(failures).isEmpty();
        assertThat(transcript)
                .contains("> How old am I?\n< run 2 completed (local)")
                .contains("System message: \"Users name is John and age is 30\"")
                .contains("System message: \"Users name is Jane and age is 25\"")
                .contains("== Team 'personal-team' (no members)")
                .contains("History (2 messages):\n    user: \"My favorite color is blue\"")
                .contains("== Agent 'memory-assistant': user memories")
                .contains("    User loves pizza, especially margherita")
                .contains("    Plan:\n      1. Prepare: deploy a Python app to production\n      2. Do: deploy a Python app to production\n"
                        + "      3. Check: deploy a Python app to production\n    Completed:\n      ✓ Prepare: deploy a Python app to production")
                .contains("summary instead of the runs it covers (long-chat-lean): [")
                .contains("== Workflow 'research-and-write'")
                .contains("== Agent 'shopping-assistant': agentic state")
                .contains("  update_session_state returned \"Updated session state: {\"shopping_list\":[\"milk\",\"bread\"]}\"")
                .contains("< run paused: it waits for 1 tool call(s), holding no worker")
                .contains("  look_up_order returned \"order A-1001: shipped on 2026-03-02, arriving Thursday\"")
                .contains("Demo finished: every check passed.");
    }
}
