package io.sessionflow.summarizer;

import io.sessionflow.event.RunCompleted;
import io.sessionflow.kafka.GroupReader;
import io.sessionflow.kafka.KafkaClients;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NOT DONE YET: session summaries are a separate issue ("Asynchronous session summaries and
 * session-context snapshots"). This service already joins its consumer group on
 * {@code runs.completed}, so deployments and scaling can be set up, but it only counts the events;
 * it writes no summary.
 */
public final class SummarizerWorker implements AutoCloseable {

    public static final String GROUP = "sessionflow.summarizer-worker";
    private static final Logger log = LoggerFactory.getLogger(SummarizerWorker.class);

    private final GroupReader<RunCompleted> reader;
    private final AtomicLong seen = new AtomicLong();

    public SummarizerWorker(KafkaClients clients) {
        this.reader = new GroupReader<>(clients, GROUP, "summarizer-worker", clients.topics().runsCompleted(), event -> seen.incrementAndGet());
    }

    public SummarizerWorker start() {
        reader.start();
        log.info("summarizer-worker started: summaries are not implemented yet, completed runs are only counted");
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
