package io.sessionflow.memory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.MemoriesUpdated;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.Database;
import io.sessionflow.store.memory.MemoryBatch;
import io.sessionflow.store.memory.MemoryChanges;
import io.sessionflow.store.memory.MemoryStore;
import io.sessionflow.store.memory.PendingSession;
import io.sessionflow.store.memory.UserMemory;
import io.sessionflow.store.memory.UserProfile;
import io.sessionflow.store.memory.UserTurn;
import io.sessionflow.snapshot.Coalescer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one user's memories up to date: for each of the user's sessions of a memory-enabled component,
 * the completed runs after the stored progress are compared, in chunks, with the user's memories, and
 * the decided operations are applied together with the new progress in one transaction. The request
 * records only say "this user has new runs"; what is new is read from Postgres, so a burst of records
 * costs one pass, and a redelivered record finds nothing new and changes nothing.
 */
final class MemoryUpdater implements Coalescer.Update {

    /** Runs per extraction call. */
    static final int CHUNK = 20;
    /** Memories the extraction compares against (the most recently updated). */
    static final int COMPARED = 200;
    private static final int CONFLICT_TRIES = 3;
    private static final Logger log = LoggerFactory.getLogger(MemoryUpdater.class);

    private final Database database;
    private final ComponentRegistry components;
    private final ModelCatalog models;
    private final int attempts;
    private final Consumer<MemoriesUpdated> announce;
    private final Clock clock;
    private final Counter calls;
    private final MemoryStore store = new MemoryStore();

    MemoryUpdater(Database database, ComponentRegistry components, ModelCatalog models, int attempts, Consumer<MemoriesUpdated> announce,
                  Clock clock, MeterRegistry metrics) {
        this.database = database;
        this.components = components;
        this.models = models;
        this.attempts = attempts;
        this.announce = announce;
        this.clock = clock;
        this.calls = Counter.builder("sessionflow.memory.model.calls").description("memory extraction calls").register(metrics);
    }

    @Override
    public void apply(String userId, Coalescer.Pending due) {
        for (PendingSession session : database.withConnection(c -> store.pendingSessions(c, userId))) {
            Optional<ComponentDefinition> component = components.find(session.componentType(), session.componentId());
            if (component.isPresent() && component.get().updateMemoryOnRun()) {
                catchUp(userId, session.sessionId(), session.upToRunIndex(), component.get());
            }
        }
    }

    /**
     * Rebuilds the user's memories and profile from all of the user's history with the current prompt
     * (batch reprocessing): what extraction derived is cleared, then every session of a memory-enabled
     * component is read again from its first run. Runs in the user's lane, so no live update of this
     * worker interleaves; another worker's is fenced by the progress check and starts again from it.
     *
     * @return empty when every such session is covered again, or why not (the extraction gave up on one)
     */
    Optional<String> rebuild(String userId) {
        MemoryChanges cleared = database.inTransaction(c -> store.clearForRebuild(c, userId, clock.instant()));
        if (!cleared.isEmpty()) {
            announce.accept(cleared.announcement(userId, clock.instant()));
        }
        apply(userId, null);
        for (PendingSession left : database.withConnection(c -> store.pendingSessions(c, userId))) {
            Optional<ComponentDefinition> component = components.find(left.componentType(), left.componentId());
            if (component.isPresent() && component.get().updateMemoryOnRun()
                    && !database.withConnection(c -> store.turnsAfter(c, left.sessionId(), left.upToRunIndex(), 1)).isEmpty()) {
                return Optional.of("extraction stopped after run " + left.upToRunIndex() + " of session " + left.sessionId());
            }
        }
        return Optional.empty();
    }

    private void catchUp(String userId, String sessionId, int progress, ComponentDefinition component) {
        int conflicts = 0;
        while (true) {
            int from = progress;
            List<UserTurn> turns = database.withConnection(c -> store.turnsAfter(c, sessionId, from, CHUNK));
            if (turns.isEmpty()) {
                return;
            }
            List<UserMemory> existing = database.withConnection(c -> store.recent(c, userId, COMPARED));
            UserProfile profile = database.withConnection(c -> store.findProfile(c, userId)).orElse(UserProfile.empty(userId));
            calls.increment();
            Optional<MemoryDecision> decision = extractorFor(component).extract(existing, profile, turns, component.userProfile());
            if (decision.isEmpty()) {
                return; // logged by the extractor; memories kept, progress not moved: the next request tries again
            }
            int upTo = turns.get(turns.size() - 1).runIndex();
            MemoryBatch batch = new MemoryBatch(userId, sessionId, progress + 1, upTo, decision.get().ops(), decision.get().profilePatch());
            MemoryChanges changes = database.inTransaction(c -> store.apply(c, batch, clock.instant()));
            if (!changes.applied()) {
                // Another worker (or a redelivery) read this session's runs first: start again from its progress.
                if (++conflicts > CONFLICT_TRIES) {
                    log.info("memories of user {}: session {} keeps moving ahead; left to the worker that moves it", userId, sessionId);
                    return;
                }
                progress = database.withConnection(c -> store.progress(c, userId, sessionId));
                continue;
            }
            if (!changes.isEmpty()) {
                announce.accept(changes.announcement(userId, sessionId, upTo, clock.instant()));
            }
            progress = upTo;
        }
    }

    private MemoryExtractor extractorFor(ComponentDefinition component) {
        String spec = component.memoryModel() != null ? component.memoryModel() : component.model();
        var model = models.forSpec(spec);
        return "local".equals(model.id()) ? new ExtractiveMemoryExtractor() : new ModelMemoryExtractor(model, attempts);
    }
}
