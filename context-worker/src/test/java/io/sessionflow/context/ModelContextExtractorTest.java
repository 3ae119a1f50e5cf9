package io.sessionflow.context;

import io.sessionflow.model.ScriptedModel;
import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelContextExtractorTest {

    private static final SessionContext PREVIOUS = new SessionContext("s1", "Planning.", "Launch", List.of("Build"), List.of(),
            2, ContextPrompt.VERSION, Instant.parse("2024-05-01T10:00:00Z"));
    private static final List<RunTurns> RUNS = List.of(new RunTurns(3, "Done with step 1.", "Great."));

    @Test
    void shouldUseThePlanningSchemaAndPromptInPlanningMode() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \"s\", \"goal\": null, \"plan\": null, \"progress\": null}");

        new ModelContextExtractor(model, 3).extract(PREVIOUS, RUNS, true);

        assertThat(model.schemaNames).containsExactly("session_context");
        assertThat(model.schemas).containsExactly(ContextPrompt.PLANNING_SCHEMA);
        assertThat(model.prompts).containsExactly(ContextPrompt.build(PREVIOUS, RUNS, true));
    }

    @Test
    void shouldReadNullGoalPlanAndProgressAsKeep() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \" Still planning. \", \"goal\": null, \"plan\": null, \"progress\": null}");

        Optional<ContextDraft> draft = new ModelContextExtractor(model, 3).extract(PREVIOUS, RUNS, true);

        assertThat(draft).contains(new ContextDraft("Still planning.", null, null, null));
        assertThat(draft.orElseThrow().applyTo(PREVIOUS, "s1", 3, ContextPrompt.VERSION, Instant.EPOCH))
                .extracting(SessionContext::goal, SessionContext::plan).containsExactly("Launch", List.of("Build"));
    }

    @Test
    void shouldParseGoalPlanAndProgressWhenGiven() {
        ScriptedModel model = new ScriptedModel(
                "{\"summary\": \"s\", \"goal\": \"Launch v2\", \"plan\": [\"Build\", \"\", \"Ship\"], \"progress\": [\"Build\"]}");

        Optional<ContextDraft> draft = new ModelContextExtractor(model, 3).extract(PREVIOUS, RUNS, true);

        assertThat(draft).contains(new ContextDraft("s", "Launch v2", List.of("Build", "Ship"), List.of("Build")));
    }

    @Test
    void shouldUseTheSummarySchemaAndIgnoreOtherFieldsInSummaryMode() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \"Just a summary.\", \"goal\": \"ignored\"}");

        Optional<ContextDraft> draft = new ModelContextExtractor(model, 3).extract(PREVIOUS, RUNS, false);

        assertThat(draft).contains(new ContextDraft("Just a summary.", null, null, null));
        assertThat(model.schemaNames).containsExactly("session_context");
        assertThat(model.schemas).containsExactly(ContextPrompt.SUMMARY_SCHEMA);
        assertThat(model.prompts).containsExactly(ContextPrompt.build(PREVIOUS, RUNS, false));
    }

    @Test
    void shouldGiveUpWithEmptyAfterAttemptsMalformedAnswers() {
        ScriptedModel model = new ScriptedModel("not json", "{\"summary\": \"s\", \"goal\": 5}", "{\"goal\": \"no summary\"}",
                "{\"summary\": \"never asked for\"}");

        Optional<ContextDraft> draft = new ModelContextExtractor(model, 3).extract(PREVIOUS, RUNS, true);

        assertThat(draft).isEmpty();
        assertThat(model.prompts).hasSize(3);
    }

    @Test
    void shouldRejectAPlanThatIsNotAnArray() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \"s\", \"goal\": null, \"plan\": \"Build then ship\", \"progress\": null}",
                "{\"summary\": \"s\", \"goal\": null, \"plan\": [\"Build\"], \"progress\": null}");

        Optional<ContextDraft> draft = new ModelContextExtractor(model, 2).extract(PREVIOUS, RUNS, true);

        assertThat(draft).contains(new ContextDraft("s", null, List.of("Build"), null));
        assertThat(model.prompts).hasSize(2);
    }
}
