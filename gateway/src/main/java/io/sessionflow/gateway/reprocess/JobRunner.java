package io.sessionflow.gateway.reprocess;

import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ReprocessSession;
import io.sessionflow.kafka.BrokerException;
import io.sessionflow.kafka.Topic;
import io.sessionflow.run.Backoff;
import io.sessionflow.store.Database;
import io.sessionflow.store.reprocess.ReprocessJob;
import io.sessionflow.store.reprocess.ReprocessStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives running jobs: pages through the matching sessions in id order, queues their items and
 * publishes one {@code ReprocessSession} per item, at most {@code SESSIONFLOW_REPROCESS_RATE}
 * sessions a second. A memories job pages through users instead (one item and one command per user,
 * keyed by user id, under the same rate). Progress (the cursor) is committed with the items, after Kafka acknowledged
 * the batch, so a restarted gateway resumes where the last one stopped and no session is skipped.
 * A job row is locked while a batch is published, so several gateways never drive one job at once.
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int BATCH = 200;
    /** The job kind whose items are users (memories belong to a user), not sessions. */
    static final String MEMORIES = "memories";

    /** How often running jobs are looked for: each step publishes a rate-limited slice of a job. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Backoff ERROR_PAUSES = Backoff.untilStopped(Duration.ofMillis(100), Duration.ofSeconds(10));

    private final Database database;
    private final ComponentRegistry components;
    private final Producer<String, byte[]> producer;
    private final Topic<ReprocessSession> topic;
    private final RateLimiter rate;
    private final Clock clock;
    private final ReprocessStore jobs = new ReprocessStore();
    private final Thread thread;
    private final String topicPrefix;
    private volatile boolean running = true;

    /** @param topicPrefix this deployment's: the runner drives only the jobs its gateways created */
    public JobRunner(Database database, ComponentRegistry components, Producer<String, byte[]> producer, Topic<ReprocessSession> topic,
                     double sessionsPerSecond, Clock clock, String topicPrefix) {
        this.topicPrefix = topicPrefix;
        this.database = database;
        this.components = components;
        this.producer = producer;
        this.topic = topic;
        this.rate = new RateLimiter(sessionsPerSecond);
        this.clock = clock;
        this.thread = DaemonThreads.named("reprocess-runner").newThread(this::loop);
    }

    public JobRunner start() {
        thread.start();
        return this;
    }

    private void loop() {
        int failures = 0;
        while (running) {
            Duration pause = POLL;
            try {
                for (String jobId : database.withConnection(c -> jobs.runningJobIds(c, topicPrefix))) {
                    step(jobId);
                }
                failures = 0;
            } catch (RuntimeException e) {
                // Most often a database or broker outage: the next tries are paced by the one backoff, not every poll.
                pause = ERROR_PAUSES.delayAfter(++failures);
                log.warn("reprocessing paused after an error; retrying in {} ms: {}", pause.toMillis(), e.getMessage());
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void step(String jobId) {
        database.inTransaction(c -> {
            if (!jobs.tryLock(c, jobId)) {
                return null; // another gateway is driving it
            }
            ReprocessJob job = jobs.find(c, jobId).orElseThrow();
            if (!job.publishedAll()) {
                int permits = rate.take(BATCH);
                if (permits > 0 && job.kind().equals(MEMORIES)) {
                    List<String> users = jobs.users(c, job.filter(), job.createdAt(), Eligibility.memoryComponents(components),
                            job.cursorSession(), permits);
                    List<String[]> items = users.stream().map(user -> new String[] {user, ReprocessSession.MEMORIES}).toList();
                    jobs.queue(c, jobId, items);
                    publish(job, items);
                    jobs.advance(c, jobId, users.isEmpty() ? null : users.get(users.size() - 1), users.size() < permits);
                } else if (permits > 0) {
                    List<ReprocessStore.Candidate> sessions = jobs.candidates(c, job.filter(), job.createdAt(), job.cursorSession(), permits);
                    List<String[]> items = new ArrayList<>();
                    for (ReprocessStore.Candidate session : sessions) {
                        for (String target : Eligibility.targets(components, job.kind(), session.sessionType(), session.componentId())) {
                            items.add(new String[] {session.sessionId(), target});
                        }
                    }
                    jobs.queue(c, jobId, items);
                    publish(job, items);
                    jobs.advance(c, jobId, sessions.isEmpty() ? null : sessions.get(sessions.size() - 1).sessionId(), sessions.size() < permits);
                }
            }
            if (jobs.completeIfDone(c, jobId)) {
                log.info("reprocessing job {} completed", jobId);
            }
            return null;
        });
    }

    private void publish(ReprocessJob job, List<String[]> items) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (String[] item : items) {
            ReprocessSession command = item[1].equals(ReprocessSession.MEMORIES)
                    ? ReprocessSession.ofUser(job.jobId(), item[0], clock.instant())
                    : ReprocessSession.ofSession(job.jobId(), item[0], item[1], job.promptVersion(), clock.instant());
            sends.add(producer.send(new ProducerRecord<>(topic.name(), item[0], topic.serialize(command))));
        }
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(Topic.PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // The transaction rolls back: the cursor stays, and the batch is published again next time.
            throw new BrokerException("could not publish reprocessing commands: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
