package io.sessionflow.memory;

import io.sessionflow.event.ReprocessSession;
import io.sessionflow.kafka.consumer.RecordHandler;
import io.sessionflow.kafka.consumer.RecordTicket;
import io.sessionflow.kafka.consumer.SessionLanes;
import io.sessionflow.store.Database;
import io.sessionflow.store.reprocess.ReprocessJob;
import io.sessionflow.store.reprocess.ReprocessStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the {@code memories} commands of reprocessing jobs in the user's lane, the lane of that user's
 * live extraction, so a rebuild and a live update never race in this worker. Records each user's outcome
 * for the job's progress (a failure with its reason; if even that cannot be stored, the command is
 * dead-lettered). A command of a cancelled job, or one whose item already has its outcome (a redelivery),
 * changes nothing. Summary and context commands on the same topic are not its business.
 */
final class MemoryRebuildHandler implements RecordHandler<ReprocessSession> {

    private static final Logger log = LoggerFactory.getLogger(MemoryRebuildHandler.class);

    private final Database database;
    private final MemoryUpdater updater;
    private final SessionLanes lanes;
    private final ReprocessStore jobs = new ReprocessStore();

    MemoryRebuildHandler(Database database, MemoryUpdater updater, SessionLanes lanes) {
        this.database = database;
        this.updater = updater;
        this.lanes = lanes;
    }

    @Override
    public void handle(ReprocessSession command, RecordTicket ticket) {
        if (!ReprocessSession.MEMORIES.equals(command.target())) {
            ticket.done();
            return;
        }
        String userId = command.userId();
        lanes.submit(userId, () -> {
            if (ticket.isRevoked()) {
                ticket.handBack();
                return;
            }
            try {
                Optional<String> status = database.withConnection(c -> jobs.status(c, command.jobId()));
                if (status.isEmpty() || ReprocessJob.CANCELLED.equals(status.get())
                        || !database.withConnection(c -> jobs.isQueued(c, command.jobId(), userId, ReprocessSession.MEMORIES))) {
                    ticket.done(); // cancelled, deleted, or this user is already done: rebuilding again would only redo it
                    return;
                }
                Optional<String> problem = updater.rebuild(userId);
                problem.ifPresent(reason -> log.warn("rebuilding the memories of user {} for job {} failed: {}", userId, command.jobId(), reason));
                record(command, problem);
                ticket.done();
            } catch (RuntimeException e) {
                log.error("rebuilding the memories of user {} for job {} failed", userId, command.jobId(), e);
                String reason = "rebuilding failed: " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage());
                try {
                    record(command, Optional.of(reason));
                    ticket.done();
                } catch (RuntimeException unrecorded) {
                    ticket.deadLetter(reason + "; could not record that in job " + command.jobId() + ": " + unrecorded.getMessage());
                }
            }
        });
    }

    private void record(ReprocessSession command, Optional<String> problem) {
        database.withConnection(c -> {
            jobs.finishItem(c, command.jobId(), command.userId(), ReprocessSession.MEMORIES, problem.isEmpty(), problem.orElse(null));
            return null;
        });
    }
}
