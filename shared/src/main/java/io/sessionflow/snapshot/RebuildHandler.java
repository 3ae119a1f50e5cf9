package io.sessionflow.snapshot;

import io.sessionflow.kafka.consumer.RecordHandler;
import io.sessionflow.kafka.consumer.RecordTicket;
import io.sessionflow.kafka.consumer.SessionLanes;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ReprocessSession;
import io.sessionflow.store.Database;
import io.sessionflow.store.reprocess.ReprocessJob;
import io.sessionflow.store.reprocess.ReprocessStore;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionStore;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes {@code ReprocessSession} commands of one target (summary or context) in the session's
 * lane, the same lane as its live updates, so a rebuild and a live update never race on one
 * session. Records each item's outcome for the job's progress, a failure included (or, when even
 * that cannot be stored, dead-letters the command with the reason); commands of a cancelled job are
 * dropped.
 */
final class RebuildHandler implements RecordHandler<ReprocessSession> {

    private static final Logger log = LoggerFactory.getLogger(RebuildHandler.class);

    private final String target;
    private final Database database;
    private final ComponentRegistry components;
    private final Predicate<ComponentDefinition> wants;
    private final Rebuilder rebuilder;
    private final SessionLanes lanes;
    private final ReprocessStore jobs = new ReprocessStore();
    private final SessionStore sessions = new SessionStore();

    RebuildHandler(String target, Database database, ComponentRegistry components, Predicate<ComponentDefinition> wants,
                   Rebuilder rebuilder, SessionLanes lanes) {
        this.target = target;
        this.database = database;
        this.components = components;
        this.wants = wants;
        this.rebuilder = rebuilder;
        this.lanes = lanes;
    }

    @Override
    public void handle(ReprocessSession command, RecordTicket ticket) {
        if (!command.target().equals(target)) {
            ticket.done();
            return;
        }
        lanes.submit(command.sessionId(), () -> {
            if (ticket.isRevoked()) {
                ticket.handBack();
                return;
            }
            try {
                Optional<String> status = database.withConnection(c -> jobs.status(c, command.jobId()));
                if (status.isEmpty() || ReprocessJob.CANCELLED.equals(status.get())) {
                    ticket.done(); // the job was cancelled or deleted: nothing to do
                    return;
                }
                Optional<String> problem = rebuild(command);
                problem.ifPresent(reason -> log.warn("rebuilding the {} of {} for job {} failed: {}", target, command.sessionId(),
                        command.jobId(), reason));
                database.withConnection(c -> {
                    jobs.finishItem(c, command.jobId(), command.sessionId(), target, problem.isEmpty(), problem.orElse(null));
                    return null;
                });
                ticket.done();
            } catch (RuntimeException e) {
                log.error("rebuilding the {} of {} for job {} failed", target, command.sessionId(), command.jobId(), e);
                failed(command, ticket, "rebuilding failed: " + describe(e));
            }
        });
    }

    /** The item is recorded as failed with the reason if the database takes it; if not, the command is dead-lettered with it. */
    private void failed(ReprocessSession command, RecordTicket ticket, String reason) {
        try {
            database.withConnection(c -> {
                jobs.finishItem(c, command.jobId(), command.sessionId(), target, false, reason);
                return null;
            });
            ticket.done();
        } catch (RuntimeException e) {
            ticket.deadLetter(reason + "; could not record that in job " + command.jobId() + ": " + describe(e));
        }
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    private Optional<String> rebuild(ReprocessSession command) {
        Optional<Session> session = database.withConnection(c -> sessions.find(c, command.sessionId()));
        if (session.isEmpty()) {
            return Optional.of("the session no longer exists");
        }
        Optional<ComponentDefinition> component = components.find(session.get().sessionType(), session.get().componentId());
        if (component.isEmpty() || !wants.test(component.get())) {
            return Optional.of("its " + session.get().sessionType().wireName() + " '" + session.get().componentId()
                    + "' does not keep a " + target);
        }
        return rebuilder.rebuild(command.sessionId(), component.get(), command.promptVersion());
    }
}
