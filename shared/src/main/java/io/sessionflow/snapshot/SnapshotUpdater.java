package io.sessionflow.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.kafka.ChangePublisher;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.Snapshot;
import io.sessionflow.store.StoreException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one kind of derived session data up to date, the same way for summaries and contexts:
 * incremental (the stored snapshot plus only the runs after it, read by index in bounded chunks),
 * monotonic (stored only if it covers more runs, so redelivered or late events change nothing),
 * never mixing prompt versions (a snapshot written with another prompt is rebuilt whole), and
 * rebuilt from the whole history on request (batch reprocessing).
 */
public final class SnapshotUpdater<S extends Snapshot> implements Coalescer.Update, Rebuilder {

    /** Runs per model call when a snapshot has far to catch up (a long session's first one, a rebuild). */
    public static final int CHUNK = 50;
    private static final int REBUILD_TRIES = 3;
    private static final Logger log = LoggerFactory.getLogger(SnapshotUpdater.class);

    private final SnapshotKind<S> kind;
    private final Database database;
    private final ChangePublisher changes;
    private final Clock clock;
    private final Counter calls;
    private final RunStore runs = new RunStore();

    public SnapshotUpdater(SnapshotKind<S> kind, Database database, ChangePublisher changes, Clock clock, MeterRegistry metrics) {
        this.kind = kind;
        this.database = database;
        this.changes = changes;
        this.clock = clock;
        this.calls = Counter.builder("sessionflow." + kind.name() + ".model.calls").description(kind.name() + " model calls").register(metrics);
    }

    @Override
    public void apply(String sessionId, Coalescer.Pending due) {
        ComponentDefinition component = (ComponentDefinition) due.detail();
        S current = database.withConnection(c -> kind.table().find(c, sessionId)).orElse(null);
        if (current != null && !current.promptVersion().equals(kind.currentPromptVersion())) {
            // Never fold new runs into a snapshot written with another prompt: rebuild it whole instead.
            rebuild(sessionId, component, kind.currentPromptVersion());
            return;
        }
        int from = current == null ? 1 : current.upToRunIndex() + 1;
        while (from <= due.latestRunIndex()) {
            List<RunTurns> newRuns = chunk(sessionId, from, due.latestRunIndex());
            if (newRuns.isEmpty()) {
                return;
            }
            calls.increment();
            Optional<S> next = kind.next(sessionId, component, current, newRuns, kind.currentPromptVersion(), clock.instant());
            if (next.isEmpty() || !save(next.get(), false)) {
                return; // the model failed (logged), or a newer snapshot is stored, or the session is gone
            }
            changes.publish(kind.changed(next.get()));
            current = next.get();
            from = current.upToRunIndex() + 1;
        }
    }

    /**
     * Rebuilds the snapshot from the session's whole history with the current prompt and records
     * {@code requestedVersion} (null: the current one). If live updates move the session ahead
     * meanwhile, it starts again from the new latest run, a bounded number of times.
     */
    @Override
    public Optional<String> rebuild(String sessionId, ComponentDefinition component, String requestedVersion) {
        String promptVersion = requestedVersion != null ? requestedVersion : kind.currentPromptVersion();
        for (int attempt = 1; attempt <= REBUILD_TRIES; attempt++) {
            int latest = database.withConnection(c -> runs.latestCompletedIndex(c, sessionId));
            S built = null;
            int from = 1;
            while (from <= latest) {
                List<RunTurns> chunk = chunk(sessionId, from, latest);
                if (chunk.isEmpty()) {
                    break;
                }
                calls.increment();
                Optional<S> next = kind.next(sessionId, component, built, chunk, promptVersion, clock.instant());
                if (next.isEmpty()) {
                    return Optional.of("the model gave no valid " + kind.name() + " for runs " + from + "-" + chunk.get(chunk.size() - 1).runIndex());
                }
                built = next.get();
                from = built.upToRunIndex() + 1;
            }
            if (built == null) {
                return Optional.empty(); // no completed run yet: nothing to derive
            }
            if (save(built, true)) {
                changes.publish(kind.changed(built));
                return Optional.empty();
            }
            Optional<S> stored = database.withConnection(c -> kind.table().find(c, sessionId));
            if (stored.isEmpty()) {
                return Optional.of("the session no longer exists");
            }
            if (stored.get().promptVersion().equals(promptVersion) && stored.get().upToRunIndex() >= built.upToRunIndex()) {
                return Optional.empty(); // already at this prompt version, as far as the rebuild reached
            }
        }
        return Optional.of("live updates kept moving ahead of the rebuild");
    }

    private List<RunTurns> chunk(String sessionId, int from, int to) {
        return database.withConnection(c -> runs.completedTurns(c, sessionId, from, to, CHUNK));
    }

    /** @return false when nothing more should be done (a newer snapshot is stored, or the session is gone) */
    private boolean save(S next, boolean rebuilt) {
        try {
            boolean saved = database.withConnection(c -> kind.table().save(c, next, rebuilt));
            if (!saved) {
                log.info("{} of {} up to run {} is not newer than the stored one; left as it is", kind.name(), next.sessionId(), next.upToRunIndex());
            }
            return saved;
        } catch (StoreException e) {
            if (e.isMissingParent()) {
                log.info("session {} was deleted; its {} is not kept", next.sessionId(), kind.name());
                return false;
            }
            throw e;
        }
    }
}
