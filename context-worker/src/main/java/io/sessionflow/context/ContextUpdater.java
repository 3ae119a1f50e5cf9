package io.sessionflow.context;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.ContextUpdated;
import io.sessionflow.kafka.ChangePublisher;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.Database;
import io.sessionflow.store.RunStore;
import io.sessionflow.store.RunTurns;
import io.sessionflow.store.SessionContext;
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
 * Brings one session's context snapshot up to its latest run: the previous snapshot plus the new
 * turns (answers included, unlike Agno's pre-answer extraction), replaced as a whole, and only if
 * it covers more runs than the stored one.
 */
final class ContextUpdater implements Coalescer.Update, Rebuilder {

    static final int CHUNK = 50;
    private static final Logger log = LoggerFactory.getLogger(ContextUpdater.class);

    private final Database database;
    private final ModelCatalog models;
    private final int attempts;
    private final ChangePublisher changes;
    private final Clock clock;
    private final Counter calls;
    private final SnapshotStore snapshots = new SnapshotStore();
    private final RunStore runs = new RunStore();

    ContextUpdater(Database database, ModelCatalog models, int attempts, ChangePublisher changes, Clock clock, MeterRegistry metrics) {
        this.database = database;
        this.models = models;
        this.attempts = attempts;
        this.changes = changes;
        this.clock = clock;
        this.calls = Counter.builder("sessionflow.context.model.calls").description("context-extraction model calls").register(metrics);
    }

    @Override
    public void apply(String sessionId, Coalescer.Pending due) {
        ComponentDefinition component = (ComponentDefinition) due.detail();
        ContextExtractor extractor = extractorFor(models.forSpec(component.model()));
        SessionContext current = database.withConnection(c -> snapshots.findContext(c, sessionId)).orElse(null);
        if (current != null && !current.promptVersion().equals(ContextPrompt.VERSION)) {
            // Never fold new turns into a snapshot written with another prompt: rebuild it whole instead.
            rebuild(sessionId, component, ContextPrompt.VERSION);
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
            Optional<ContextDraft> draft = extractor.extract(current, newRuns, component.enablePlanning());
            if (draft.isEmpty()) {
                return; // logged by the extractor; the stored snapshot stays as it was
            }
            SessionContext next = draft.get().applyTo(current, sessionId, newRuns.get(newRuns.size() - 1).runIndex(),
                    ContextPrompt.VERSION, clock.instant());
            if (!save(next)) {
                return;
            }
            changes.publish(new ContextUpdated(ContextUpdated.SCHEMA_VERSION, sessionId, next.upToRunIndex(), next.summary(),
                    next.goal(), next.plan(), next.progress(), next.promptVersion(), next.updatedAt()));
            current = next;
            from = next.upToRunIndex() + 1;
        }
    }

    /**
     * Rebuilds the snapshot from the session's whole history, in chunks of {@link #CHUNK} runs, and
     * records {@code promptVersion}; starts again (boundedly) if live updates move ahead meanwhile.
     */
    @Override
    public Optional<String> rebuild(String sessionId, ComponentDefinition component, String requestedVersion) {
        String promptVersion = requestedVersion != null ? requestedVersion : ContextPrompt.VERSION;
        ContextExtractor extractor = extractorFor(models.forSpec(component.model()));
        for (int attempt = 1; attempt <= 3; attempt++) {
            int latest = database.withConnection(c -> runs.latestCompletedIndex(c, sessionId));
            SessionContext built = null;
            int from = 1;
            while (from <= latest) {
                int start = from;
                List<RunTurns> chunk = database.withConnection(c -> runs.completedTurns(c, sessionId, start, latest, CHUNK));
                if (chunk.isEmpty()) {
                    break;
                }
                calls.increment();
                Optional<ContextDraft> draft = extractor.extract(built, chunk, component.enablePlanning());
                if (draft.isEmpty()) {
                    return Optional.of("the model gave no valid context for runs " + start + "-" + chunk.get(chunk.size() - 1).runIndex());
                }
                built = draft.get().applyTo(built, sessionId, chunk.get(chunk.size() - 1).runIndex(), promptVersion, clock.instant());
                from = built.upToRunIndex() + 1;
            }
            if (built == null) {
                return Optional.empty(); // no completed run yet: nothing to derive
            }
            SessionContext rebuilt = built;
            if (save(rebuilt, true)) {
                changes.publish(new ContextUpdated(ContextUpdated.SCHEMA_VERSION, sessionId, rebuilt.upToRunIndex(), rebuilt.summary(),
                        rebuilt.goal(), rebuilt.plan(), rebuilt.progress(), rebuilt.promptVersion(), rebuilt.updatedAt()));
                return Optional.empty();
            }
            Optional<SessionContext> stored = database.withConnection(c -> snapshots.findContext(c, sessionId));
            if (stored.isEmpty()) {
                return Optional.of("the session no longer exists");
            }
            if (stored.get().promptVersion().equals(promptVersion) && stored.get().upToRunIndex() >= rebuilt.upToRunIndex()) {
                return Optional.empty();
            }
        }
        return Optional.of("live updates kept moving ahead of the rebuild");
    }

    private boolean save(SessionContext next) {
        return save(next, false);
    }

    private boolean save(SessionContext next, boolean rebuilt) {
        try {
            boolean saved = database.withConnection(c -> rebuilt ? snapshots.saveRebuiltContext(c, next) : snapshots.saveContextIfNewer(c, next));
            if (!saved) {
                log.info("context of {} up to run {} is not newer than the stored one; left as it is", next.sessionId(), next.upToRunIndex());
            }
            return saved;
        } catch (StoreException e) {
            if (e.isMissingParent()) {
                log.info("session {} was deleted; its context is not kept", next.sessionId());
                return false;
            }
            throw e;
        }
    }

    private ContextExtractor extractorFor(ChatModel model) {
        return "local".equals(model.id()) ? new ExtractiveContextExtractor() : new ModelContextExtractor(model, attempts);
    }
}
