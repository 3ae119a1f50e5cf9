package io.sessionflow.summarizer;

import io.sessionflow.model.ScriptedModel;
import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.model.ModelException;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelSummarizerTest {

    private static final List<RunTurns> RUNS = List.of(new RunTurns(3, "I am Ann.", "Hi Ann."), new RunTurns(4, "I like tea.", "Nice."));
    private static final SessionSummary PREVIOUS = new SessionSummary("s1", "Earlier talk.", List.of("talk"), 2,
            SummaryPrompt.VERSION, "scripted", Instant.parse("2024-05-01T10:00:00Z"));

    @Test
    void shouldReportTheModelsId() {
        assertThat(new ModelSummarizer(new ScriptedModel(), 3).modelId()).isEqualTo("openai:scripted");
    }

    @Test
    void shouldTurnValidJsonIntoADraft() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \" Ann likes tea. \", \"topics\": [\"tea\", \" \", \"Ann\"]}");

        Optional<SummaryDraft> draft = new ModelSummarizer(model, 3).summarize(PREVIOUS, RUNS);

        assertThat(draft).contains(new SummaryDraft("Ann likes tea.", List.of("tea", "Ann")));
        assertThat(model.prompts).hasSize(1);
    }

    @Test
    void shouldAcceptAnEmptyTopicList() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \"Nothing much.\", \"topics\": []}");

        assertThat(new ModelSummarizer(model, 3).summarize(null, RUNS)).contains(new SummaryDraft("Nothing much.", List.of()));
    }

    @Test
    void shouldSendTheSummaryPromptSchemaAndName() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \"s\", \"topics\": []}");

        new ModelSummarizer(model, 3).summarize(PREVIOUS, RUNS);

        assertThat(model.schemaNames).containsExactly("session_summary");
        assertThat(model.schemas).containsExactly(SummaryPrompt.SCHEMA);
        assertThat(model.prompts).containsExactly(SummaryPrompt.build(PREVIOUS, RUNS));
    }

    @Test
    void shouldRetryWhenTopicsAreMissingAndGiveUpAfterAttempts() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \"one\"}", "{\"summary\": \"two\", \"topics\": null}",
                "{\"summary\": \"three\"}", "{\"summary\": \"never\", \"topics\": []}");

        Optional<SummaryDraft> draft = new ModelSummarizer(model, 3).summarize(PREVIOUS, RUNS);

        assertThat(draft).isEmpty();
        assertThat(model.prompts).hasSize(3);
    }

    @Test
    void shouldRetryMalformedOutputUntilAValidOne() {
        ScriptedModel model = new ScriptedModel("{\"summary\": \"\", \"topics\": []}", "not json",
                "{\"summary\": \"ok\", \"topics\": [\"x\"]}");

        Optional<SummaryDraft> draft = new ModelSummarizer(model, 3).summarize(PREVIOUS, RUNS);

        assertThat(draft).contains(new SummaryDraft("ok", List.of("x")));
        assertThat(model.prompts).hasSize(3);
    }

    @Test
    void shouldGiveUpAtOnceOnAPermanentModelFailure() {
        ScriptedModel model = new ScriptedModel(new ModelException("invalid api key", false, null),
                "{\"summary\": \"ok\", \"topics\": []}");

        assertThat(new ModelSummarizer(model, 3).summarize(PREVIOUS, RUNS)).isEmpty();
        assertThat(model.prompts).hasSize(1);
    }
}
