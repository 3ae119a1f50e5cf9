package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.store.memory.MemoryBatch;
import io.sessionflow.store.memory.MemoryChanges;
import io.sessionflow.store.memory.MemoryOp;
import io.sessionflow.store.memory.MemoryStore;
import io.sessionflow.store.memory.UserMemory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fences of {@link MemoryStore#apply} on the real Postgres, each the way an extraction meets it: a
 * batch read before another worker (or a redelivery) moved the session's progress on, and a batch whose
 * session was deleted (or its user forgotten) while the extraction was running.
 */
@PipelineIT
class MemoryStoreIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final MemoryStore memories = new MemoryStore();

    MemoryStoreIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    /** A session of the user with {@code runs} completed runs, of a component without memories (no live extraction meddles). */
    private String sessionWithRuns(String user, int runs) {
        String session = SessionSemanticsIT.newId("fenced");
        for (int i = 1; i <= runs; i++) {
            GatewayClient.Response response = pipeline.client.run("agents", "personal-assistant",
                    SessionSemanticsIT.body(user, session, "message " + i, null));
            assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        }
        return session;
    }

    private MemoryChanges apply(String user, String session, int from, int upTo, String memory) {
        MemoryBatch batch = new MemoryBatch(user, session, from, upTo, List.of(MemoryOp.add(memory, List.of("test"), session, null)), null);
        return pipeline.database.inTransaction(c -> memories.apply(c, batch, Instant.now()));
    }

    private List<String> memoriesOf(String user) {
        return pipeline.database.withConnection(c -> memories.recent(c, user, 100)).stream().map(UserMemory::memory).toList();
    }

    @Test
    void shouldApplyNothingFromABatchWhoseRunsWereAlreadyRead() {
        String user = SessionSemanticsIT.newId("fenced-user");
        String session = sessionWithRuns(user, 2);

        assertThat(apply(user, session, 1, 2, "User likes tea").applied()).isTrue();
        // Read before the first was applied (another worker after a rebalance, or a redelivered request): runs 1..1 again.
        MemoryChanges stale = apply(user, session, 1, 1, "User likes coffee");

        assertThat(stale.applied()).isFalse();
        assertThat(memoriesOf(user)).containsExactly("User likes tea");
        assertThat(rows.count("SELECT up_to_run_index FROM user_memory_progress WHERE user_id = ? AND session_id = ?", user, session))
                .as("progress never goes back").isEqualTo(2);
    }

    @Test
    void shouldStoreNothingForASessionDeletedWhileItsMemoriesWereExtracted() {
        String user = SessionSemanticsIT.newId("erased-user");
        String kept = sessionWithRuns(user, 1);
        String deleted = sessionWithRuns(user, 1);
        assertThat(pipeline.client.send("DELETE", "/v1/sessions/" + deleted, null).status()).isEqualTo(200);

        MemoryChanges afterDeletion = apply(user, deleted, 1, 1, "User likes tea");
        MemoryChanges control = apply(user, kept, 1, 1, "User likes coffee");

        assertThat(afterDeletion.applied()).isFalse();
        assertThat(control.applied()).as("the same batch on a session that still exists").isTrue();
        assertThat(memoriesOf(user)).containsExactly("User likes coffee");
        assertThat(rows.count("SELECT count(*) FROM user_memory_progress WHERE session_id = ?", deleted)).isZero();
    }
}
