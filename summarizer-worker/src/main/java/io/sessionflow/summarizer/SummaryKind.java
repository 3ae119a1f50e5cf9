package io.sessionflow.summarizer;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.SessionChanged;
import io.sessionflow.event.SummaryUpdated;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionSummary;
import io.sessionflow.store.snapshot.SnapshotTable;
import io.sessionflow.snapshot.SnapshotKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Session summaries: {@code {summary, topics}} folded forward by a {@link Summarizer} (the extractive
 * one for the local model, structured output for language models), stored in {@code session_summaries},
 * announced as {@code SummaryUpdated}.
 */
final class SummaryKind implements SnapshotKind<SessionSummary> {

    private final ModelCatalog models;
    private final int attempts;

    SummaryKind(ModelCatalog models, int attempts) {
        this.models = models;
        this.attempts = attempts;
    }

    @Override
    public String name() {
        return "summary";
    }

    @Override
    public String currentPromptVersion() {
        return SummaryPrompt.VERSION;
    }

    @Override
    public SnapshotTable<SessionSummary> table() {
        return SnapshotTable.SUMMARIES;
    }

    @Override
    public Optional<SessionSummary> next(String sessionId, ComponentDefinition component, SessionSummary previous, List<RunTurns> runs,
                                         String promptVersion, Instant now) {
        Summarizer summarizer = summarizerFor(models.forSpec(component.summaryModelSpec()));
        return summarizer.summarize(previous, runs).map(draft -> new SessionSummary(sessionId, draft.summary(), draft.topics(),
                runs.get(runs.size() - 1).runIndex(), promptVersion, summarizer.modelId(), now));
    }

    @Override
    public SessionChanged changed(SessionSummary summary) {
        return new SummaryUpdated(SummaryUpdated.SCHEMA_VERSION, summary.sessionId(), summary.upToRunIndex(), summary.summary(),
                summary.topics(), summary.promptVersion(), summary.model(), summary.updatedAt());
    }

    private Summarizer summarizerFor(ChatModel model) {
        return "local".equals(model.id()) ? new ExtractiveSummarizer() : new ModelSummarizer(model, attempts);
    }
}
