package io.sessionflow.context;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.ContextUpdated;
import io.sessionflow.event.SessionChanged;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionContext;
import io.sessionflow.store.snapshot.SnapshotTable;
import io.sessionflow.snapshot.SnapshotKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Session-context snapshots: the previous snapshot plus the new turns (answers included, unlike
 * Agno's pre-answer extraction), replaced as a whole; in planning mode goal, plan and progress, a
 * field left out keeping its value. Stored in {@code session_contexts}, announced as {@code ContextUpdated}.
 */
final class ContextKind implements SnapshotKind<SessionContext> {

    private final ModelCatalog models;
    private final int attempts;

    ContextKind(ModelCatalog models, int attempts) {
        this.models = models;
        this.attempts = attempts;
    }

    @Override
    public String name() {
        return "context";
    }

    @Override
    public String currentPromptVersion() {
        return ContextPrompt.VERSION;
    }

    @Override
    public SnapshotTable<SessionContext> table() {
        return SnapshotTable.CONTEXTS;
    }

    @Override
    public Optional<SessionContext> next(String sessionId, ComponentDefinition component, SessionContext previous, List<RunTurns> runs,
                                         String promptVersion, Instant now) {
        return extractorFor(models.forSpec(component.sessionContextModelSpec())).extract(previous, runs, component.enablePlanning())
                .map(draft -> draft.applyTo(previous, sessionId, runs.get(runs.size() - 1).runIndex(), promptVersion, now));
    }

    @Override
    public SessionChanged changed(SessionContext context) {
        return new ContextUpdated(ContextUpdated.SCHEMA_VERSION, context.sessionId(), context.upToRunIndex(), context.summary(),
                context.goal(), context.plan(), context.progress(), context.promptVersion(), context.updatedAt());
    }

    private ContextExtractor extractorFor(ChatModel model) {
        return "local".equals(model.id()) ? new ExtractiveContextExtractor() : new ModelContextExtractor(model, attempts);
    }
}
