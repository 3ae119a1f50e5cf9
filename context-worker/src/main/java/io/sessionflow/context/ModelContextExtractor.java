package io.sessionflow.context;

import io.sessionflow.model.ChatModel;
import io.sessionflow.model.StructuredOutput;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionContext;
import java.util.List;
import java.util.Optional;

/** Updates the snapshot with a language model's structured output, validated; malformed answers are retried, then skipped. */
final class ModelContextExtractor implements ContextExtractor {

    private final ChatModel model;
    private final int attempts;

    ModelContextExtractor(ChatModel model, int attempts) {
        this.model = model;
        this.attempts = attempts;
    }

    @Override
    public Optional<ContextDraft> extract(SessionContext previous, List<RunTurns> newRuns, boolean planning) {
        String what = "session context of runs " + newRuns.get(0).runIndex() + "-" + newRuns.get(newRuns.size() - 1).runIndex();
        return StructuredOutput.request(model, ContextPrompt.build(previous, newRuns, planning), "session_context",
                planning ? ContextPrompt.PLANNING_SCHEMA : ContextPrompt.SUMMARY_SCHEMA, attempts,
                json -> planning
                        ? new ContextDraft(StructuredOutput.text(json, "summary"), StructuredOutput.optionalText(json, "goal"),
                                StructuredOutput.optionalStrings(json, "plan"), StructuredOutput.optionalStrings(json, "progress"))
                        : new ContextDraft(StructuredOutput.text(json, "summary"), null, null, null),
                what);
    }
}
