package io.sessionflow.snapshot;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.SessionChanged;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.Snapshot;
import io.sessionflow.store.snapshot.SnapshotTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What one kind of derived session data (summary, context) is: how it is stored, derived and announced. */
public interface SnapshotKind<S extends Snapshot> {

    /** {@code summary} or {@code context}: for logs and the {@code sessionflow.<name>.model.calls} counter. */
    String name();

    /** The prompt version the workers run now; recorded by live updates. */
    String currentPromptVersion();

    /** Where this kind is stored. */
    SnapshotTable<S> table();

    /**
     * The snapshot after {@code runs}, from {@code previous} (null: from nothing), or empty when the
     * model could not produce a valid one (logged where it failed).
     */
    Optional<S> next(String sessionId, ComponentDefinition component, S previous, List<RunTurns> runs, String promptVersion, Instant now);

    SessionChanged changed(S snapshot);
}
