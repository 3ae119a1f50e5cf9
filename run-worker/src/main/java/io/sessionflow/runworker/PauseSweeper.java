package io.sessionflow.runworker;

import io.sessionflow.event.RunRequested;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.PausedRuns;
import io.sessionflow.runworker.store.SessionQueue;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What no worker thread waits for, looked after by every run-worker every second: paused runs whose
 * pause timed out are failed, with the reason; then each is sent through its session's lane, which
 * announces the failure and wakes the runs parked behind it. Resumes and wake-ups lost to a crash
 * (between a transaction and the send after it) are sent again after a grace period. Several workers
 * sweep at once without doing anything twice that matters: rows are taken with SKIP LOCKED, and a run
 * sent twice is claimed once.
 */
final class PauseSweeper {

    private static final Logger log = LoggerFactory.getLogger(PauseSweeper.class);
    /** How long an answered run or a free queue head may wait for its send before it is sent again. */
    static final int LOST_SEND_GRACE_SECONDS = 10;
    private static final int BATCH = 500;

    private final Database database;
    private final RunEventSink events;
    private final PausedRuns paused = new PausedRuns();
    private final SessionQueue queue = new SessionQueue();

    PauseSweeper(Database database, RunEventSink events) {
        this.database = database;
        this.events = events;
    }

    /** One sweep. @return how many runs were sent through their lanes */
    int sweep() {
        List<RunRequested> toSend = new ArrayList<>();
        database.inTransaction(c -> paused.failExpired(c, BATCH)).forEach(due -> {
            log.warn("run {} failed: its pause timed out with no tool results or approvals", due.request().runId());
            toSend.add(due.request());
        });
        database.inTransaction(c -> paused.lostResumes(c, LOST_SEND_GRACE_SECONDS, BATCH)).forEach(due -> toSend.add(due.request()));
        toSend.addAll(database.inTransaction(c -> queue.strandedHeads(c, LOST_SEND_GRACE_SECONDS)));
        toSend.forEach(events::resend);
        return toSend.size();
    }
}
