package io.sessionflow.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.store.snapshot.SessionContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextDraftTest {

    private static final Instant BEFORE = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2024-05-01T11:00:00Z");
    private static final SessionContext PREVIOUS = new SessionContext("s1", "Old summary.", "Visit Rome",
            List.of("Book flights", "Book hotel"), List.of("Book flights"), 4, "context-v0", BEFORE);

    @Test
    void shouldKeepPreviousGoalPlanAndProgressWhenDraftLeavesThemNull() {
        SessionContext updated = new ContextDraft("New summary.", null, null, null).applyTo(PREVIOUS, "s1", 6, "context-v1", NOW);

        assertThat(updated).isEqualTo(new SessionContext("s1", "New summary.", "Visit Rome",
                List.of("Book flights", "Book hotel"), List.of("Book flights"), 6, "context-v1", NOW));
    }

    @Test
    void shouldReplaceGoalPlanAndProgressWhenDraftHasThem() {
        SessionContext updated = new ContextDraft("New summary.", "Visit Oslo", List.of("Book train"), List.of("Packed"))
                .applyTo(PREVIOUS, "s1", 6, "context-v1", NOW);

        assertThat(updated.goal()).isEqualTo("Visit Oslo");
        assertThat(updated.plan()).containsExactly("Book train");
        assertThat(updated.progress()).containsExactly("Packed");
        assertThat(updated.summary()).isEqualTo("New summary.");
    }

    @Test
    void shouldReplaceEachFieldIndependently() {
        SessionContext updated = new ContextDraft("New summary.", null, List.of("Only step"), null)
                .applyTo(PREVIOUS, "s1", 6, "context-v1", NOW);

        assertThat(updated.goal()).isEqualTo("Visit Rome");
        assertThat(updated.plan()).containsExactly("Only step");
        assertThat(updated.progress()).containsExactly("Book flights");
    }

    @Test
    void shouldClearAListWhenTheDraftHasAnEmptyOne() {
        SessionContext updated = new ContextDraft("New summary.", null, List.of(), List.of())
                .applyTo(PREVIOUS, "s1", 6, "context-v1", NOW);

        assertThat(updated.plan()).isEmpty();
        assertThat(updated.progress()).isEmpty();
    }

    @Test
    void shouldStartFromNothingWithoutAPreviousSnapshot() {
        SessionContext updated = new ContextDraft("First summary.", null, null, null).applyTo(null, "s2", 1, "context-v1", NOW);

        assertThat(updated).isEqualTo(new SessionContext("s2", "First summary.", null, List.of(), List.of(), 1, "context-v1", NOW));
    }

    @Test
    void shouldUseTheDraftsFieldsWithoutAPreviousSnapshot() {
        SessionContext updated = new ContextDraft("First.", "Goal", List.of("a"), List.of("a"))
                .applyTo(null, "s2", 2, "context-v1", NOW);

        assertThat(updated).isEqualTo(new SessionContext("s2", "First.", "Goal", List.of("a"), List.of("a"), 2, "context-v1", NOW));
    }
}
