package io.sessionflow.summarizer;

import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelOutputException;
import io.sessionflow.model.StructuredOutput;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionSummary;
import java.util.List;
import java.util.Optional;

/** Summarizes with a language model's structured output, validated; malformed answers are retried, then skipped. */
final class ModelSummarizer implements Summarizer {

    private final ChatModel model;
    private final int attempts;

    ModelSummarizer(ChatModel model, int attempts) {
        this.model = model;
        this.attempts = attempts;
    }

    @Override
    public String modelId() {
        return model.id();
    }

    @Override
    public Optional<SummaryDraft> summarize(SessionSummary previous, List<RunTurns> newRuns) {
        String what = "summary of runs " + newRuns.get(0).runIndex() + "-" + newRuns.get(newRuns.size() - 1).runIndex();
        return StructuredOutput.request(model, SummaryPrompt.build(previous, newRuns), "session_summary", SummaryPrompt.SCHEMA,
                attempts, json -> {
                    List<String> topics = StructuredOutput.optionalStrings(json, "topics");
                    if (topics == null) {
                        throw new ModelOutputException("'topics' must be an array of strings");
                    }
                    return new SummaryDraft(StructuredOutput.text(json, "summary"), topics);
                }, what);
    }
}
