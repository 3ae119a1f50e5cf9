package io.sessionflow.summarizer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.SummaryUpdated;
import io.sessionflow.kafka.ChangePublisher;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.Database;
import io.sessionflow.store.RunStore;
import io.sessionflow.store.RunTurns;
import io.sessionflow.store.SessionSummary;
import io.sessionflow.store.SnapshotStore;
import io.sessionflow.store.StoreException;
import io.sessionflow.worker.Coalescer;
import io.sessionflow.worker.Rebuilder;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one session's summary up to its latest run: incremental (the previous summary plus only
 * the runs after it, read by index in bounded chunks) and monotonic (stored only if it covers more
 * runs than what is stored, so redelivered or late events change nothing).
 */
final class SummaryUpdater implements Coalescer.Update, Rebuilder {

    /** Runs per model call when a summary has far to catch up (a long session's first summary). */
    static final int CHUNK = 50;

    private static final Logger log = LoggerFactory.getLogger(SummaryUpdater.class);

    private final Database database;
    private final ModelCatalog models;
    private final int attempts;
    private final ChangePublisher changes;
    private final Clock clock;
    private final Counter calls;
    private final SnapshotStore snapshots = new SnapshotStore();
    private final RunStore runs = new RunStore();

    SummaryUpdater(Database database, ModelCatalog models, int attempts, ChangePublisher changes, Clock clock, MeterRegistry metrics) {
        this.database = database;
        this.models = models;
        this.attempts = attempts;
        this.changes = changes;
        this.clock = clock;
        this.calls = Counter.builder("sessionflow.summary.model.calls").description("summarizer model calls").register(metrics);
    }

    @Override
    public void apply(String sessionId, Coalescer.Pending due) {
        ComponentDefinition component = (ComponentDefinition) due.detail();
        Summarizer summarizer = summarizerFor(models.forSpec(component.model()));
        SessionSummary current = database.withConnection(c -> snapshots.findSummary(c, sessionId)).orElse(null);
        if (current != null && !current.promptVersion().equals(SummaryPrompt.VERSION)) {
            // Never fold new runs into a summary written with another prompt: rebuild it whole instead.
            rebuild(sessionId, component, SummaryPrompt.VERSION);
            return;
        }
        int from = current == null ? 1 : current.upToRunIndex() + 1;
        while (from <= due.latestRunIndex()) {
            int start = from;
            List<RunTurns> newRuns = database.withConnection(c -> runs.completedTurns(c, sessionId, start, due.latestRunIndex(), CHUNK));
            if (newRuns.isEmpty()) {
                return;
            }
            calls.increment();
            Optional<SummaryDraft> draft = summarizer.summarize(current, newRuns);
            if (draft.isEmpty()) {
                return; // logged by the summarizer; the stored summary stays as it was
            }
            SessionSummary next = new SessionSummary(sessionId, draft.get().summary(), draft.get().topics(),
                    newRuns.get(newRuns.size() - 1).runIndex(), SummaryPrompt.VERSION, summarizer.modelId(), clock.instant());
            if (!save(next)) {
                return;
            }
            changes.publish(new SummaryUpdated(SummaryUpdated.SCHEMA_VERSION, sessionId, next.upToRunIndex(), next.summary(),
                    next.topics(), next.promptVersion(), next.model(), next.updatedAt()));
            current = next;
            from = next.upToRunIndex() + 1;
        }
    }

    /**
     * Rebuilds the summary from the session's whole history with the current prompt, in chunks of
     * {@link #CHUNK} runs, and records {@code promptVersion}. If live updates move the session ahead
     * meanwhile, it starts again from the new latest run (a bounded number of times).
     */
    @Override
    public Optional<String> rebuild(String sessionId, ComponentDefinition component, String requestedVersion) {
        String promptVersion = requestedVersion != null ? requestedVersion : SummaryPrompt.VERSION;
        Summarizer summarizer = summarizerFor(models.forSpec(component.model()));
        for (int attempt = 1; attempt <= 3; attempt++) {
            int latest = database.withConnection(c -> runs.latestCompletedIndex(c, sessionId));
            SessionSummary built = null;
            int from = 1;
            while (from <= latest) {
                int start = from;
                List<RunTurns> chunk = database.withConnection(c -> runs.completedTurns(c, sessionId, start, latest, CHUNK));
                if (chunk.isEmpty()) {
                    break;
                }
                calls.increment();
                Optional<SummaryDraft> draft = summarizer.summarize(built, chunk);
                if (draft.isEmpty()) {
                    return Optional.of("the model gave no valid summary for runs " + start + "-" + chunk.get(chunk.size() - 1).runIndex());
                }
                built = new SessionSummary(sessionId, draft.get().summary(), draft.get().topics(), chunk.get(chunk.size() - 1).runIndex(),
                        promptVersion, summarizer.modelId(), clock.instant());
                from = built.upToRunIndex() + 1;
            }
            if (built == null) {
                return Optional.empty(); // no completed run yet: nothing to summarize
            }
            SessionSummary rebuilt = built;
            if (save(rebuilt, true)) {
                changes.publish(new SummaryUpdated(SummaryUpdated.SCHEMA_VERSION, sessionId, rebuilt.upToRunIndex(), rebuilt.summary(),
                        rebuilt.topics(), rebuilt.promptVersion(), rebuilt.model(), rebuilt.updatedAt()));
                return Optional.empty();
            }
            Optional<SessionSummary> stored = database.withConnection(c -> snapshots.findSummary(c, sessionId));
            if (stored.isEmpty()) {
                return Optional.of("the session no longer exists");
            }
            if (stored.get().promptVersion().equals(promptVersion) && stored.get().upToRunIndex() >= rebuilt.upToRunIndex()) {
                return Optional.empty(); // already at this prompt version, as far as the rebuild reached
            }
        }
        return Optional.of("live updates kept moving ahead of the rebuild");
    }

    private boolean save(SessionSummary next) {
        return save(next, false);
    }

    /** @return false when nothing more should be done (a newer summary is stored, or the session is gone) */
    private boolean save(SessionSummary next, boolean rebuilt) {
        try {
            boolean saved = database.withConnection(c -> rebuilt ? snapshots.saveRebuiltSummary(c, next) : snapshots.saveSummaryIfNewer(c, next));
            if (!saved) {
                log.info("summary of {} up to run {} is not newer than the stored one; left as it is", next.sessionId(), next.upToRunIndex());
            }
            return saved;
        } catch (StoreException e) {
            if (e.isMissingParent()) {
                log.info("session {} was deleted; its summary is not kept", next.sessionId());
                return false;
            }
            throw e;
        }
    }

    private Summarizer summarizerFor(ChatModel model) {
        return "local".equals(model.id()) ? new ExtractiveSummarizer() : new ModelSummarizer(model, attempts);
    }
}
