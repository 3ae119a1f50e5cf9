package io.sessionflow.context;

import io.sessionflow.event.RunCompleted;
import io.sessionflow.kafka.GroupReader;
import io.sessionflow.kafka.KafkaClients;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NOT DONE YET: session-context snapshots are a separate issue ("Asynchronous session summaries and
 * session-context snapshots"). This service already joins its consumer group on
 * {@code runs.completed}, so deployments and scaling can be set up, but it only counts the events;
 * it writes no snapshot.
 */
public final class ContextWorker implements AutoCloseable {

    public static final String GROUP = "sessionflow.context-worker";
    private static final Logger log = LoggerFactory.getLogger(ContextWorker.class);

    private final GroupReader<RunCompleted> reader;
    private final AtomicLong seen = new AtomicLong();

    public ContextWorker(KafkaClients clients) {
        this.reader = new GroupReader<>(clients, GROUP, "context-worker", clients.topics().runsCompleted(), event -> seen.incrementAndGet());
    }

    public ContextWorker start() {
        reader.start();
        log.info("context-worker started: session context is not implemented yet, completed runs are only counted");
        return this;
    }

    public long eventsSeen() {
        return seen.get();
    }

    @Override
    public void close() {
        reader.close();
    }
}
