package io.sessionflow.gateway.stream;

import io.sessionflow.event.RunEvent;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.PoisonRecordException;
import io.sessionflow.kafka.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of runs this gateway has just accepted with {@code stream=true}, pushed to their streams
 * as the gateway's one tail of {@code runs.events} reads them. A new run's stream is subscribed before
 * the run is published, so every event it will have is still ahead of the tail: nothing is replayed,
 * and no consumer is opened per stream (opening one, and polling it on a timer, is what
 * {@link RunEventReader} does for streams that start later or resume, and what made a new run's first
 * delta wait about 100 ms).
 *
 * <p>Records are routed by key (the session id) before they are parsed, so events of runs nobody here
 * streams cost the tail a map lookup. An event's id is its offset, as when it is read back.
 */
public final class LiveRunEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveRunEvents.class);

    private final Topic<RunEvent> topic;
    private final Map<String, List<Subscription>> bySession = new ConcurrentHashMap<>();
    private final TopicTail tail;
    /** Set once the tail has stopped (closed, or on an error): new streams are then read per stream ({@link RunEventReader}). */
    private volatile boolean stopped;

    public LiveRunEvents(KafkaClients clients) {
        this.topic = clients.topics().runsEvents();
        this.tail = new TopicTail(clients, "gateway-live-events", List.of(topic.name()), new TopicTail.Reader() {
            @Override
            public void read(ConsumerRecord<String, byte[]> record) {
                route(record);
            }

            @Override
            public void stopped(RuntimeException failure) {
                stopped = true;
                if (failure != null) {
                    log.error("live event tail stopped; new runs' streams are read per stream from now on", failure);
                }
                // Streams still waiting here go on reading from the topic.
                bySession.values().forEach(list -> list.forEach(Subscription::abandon));
            }
        });
    }

    /** Positions at the end of every partition before returning, so no later event is missed. */
    public LiveRunEvents start() {
        tail.start();
        return this;
    }

    /**
     * Call before the run is published. Events that arrive before {@link Subscription#forward} is called are
     * kept for it; close the subscription when the stream ends, or at once if the run is not published.
     *
     * @return empty once the tail has stopped (closed, or on an error): read the run per stream instead
     */
    public Optional<Subscription> subscribe(String sessionId, String runId) {
        if (stopped) {
            return Optional.empty();
        }
        Subscription subscription = new Subscription(sessionId, runId);
        // Added inside the map's own update: a list emptied (and removed) by a closing subscription meanwhile
        // is never the one this subscription joins.
        bySession.compute(sessionId, (s, list) -> {
            List<Subscription> joined = list == null ? new CopyOnWriteArrayList<>() : list;
            joined.add(subscription);
            return joined;
        });
        return Optional.of(subscription);
    }

    /** Whether the tail would hand this subscription its run's events (for tests). */
    boolean isSubscribed(Subscription subscription) {
        return bySession.getOrDefault(subscription.sessionId, java.util.List.of()).contains(subscription);
    }

    /** Whether no subscription is held (for tests). */
    boolean isEmpty() {
        return bySession.isEmpty();
    }

    private void route(ConsumerRecord<String, byte[]> record) {
        List<Subscription> subscriptions = record.key() == null ? null : bySession.get(record.key());
        if (subscriptions == null || subscriptions.isEmpty()) {
            return;
        }
        RunEvent event;
        try {
            event = topic.deserialize(record.value());
        } catch (PoisonRecordException e) {
            return; // not an event any stream could show
        }
        for (Subscription subscription : subscriptions) {
            if (subscription.runId.equals(event.runId())) {
                try {
                    subscription.arrived(record.offset(), event);
                } catch (RuntimeException e) {
                    // One stream's failure (its response, its listener) is its own: the tail goes on.
                    log.warn("stream of run {} ended on an error: {}", event.runId(), e.toString());
                    subscription.abandon();
                }
            }
        }
    }

    @Override
    public void close() {
        tail.close();
    }

    /** An event kept for a stream not yet ready for it, with its id. */
    private record Arrived(long id, RunEvent event) {
    }

    /** One run's live events, for one stream. */
    public final class Subscription implements AutoCloseable {

        private final String sessionId;
        private final String runId;
        private final List<Arrived> early = new ArrayList<>();
        private RunEventReader.Listener listener;
        private Runnable onAbandon = () -> { };
        private boolean closed;

        private Subscription(String sessionId, String runId) {
            this.sessionId = sessionId;
            this.runId = runId;
        }

        /**
         * Hands the listener the events kept so far, then each as it arrives (on the tail's thread: it must
         * not block). The subscription closes itself after the run's final event, or when the listener
         * returns false. {@code onAbandon} runs if the tail gives the stream up (its listener failed, or the
         * tail stopped) before either.
         */
        public synchronized void forward(RunEventReader.Listener listener, Runnable onAbandon) {
            this.listener = listener;
            this.onAbandon = onAbandon;
            for (Arrived kept : early) {
                if (!deliver(kept.id(), kept.event())) {
                    break;
                }
            }
            early.clear();
        }

        private synchronized void arrived(long id, RunEvent event) {
            if (closed) {
                return;
            }
            if (listener == null) {
                early.add(new Arrived(id, event));
            } else {
                deliver(id, event);
            }
        }

        private boolean deliver(long id, RunEvent event) {
            if (closed) {
                return false;
            }
            if (!listener.onEvent(id, event) || event.isFinal()) {
                close();
                return false;
            }
            return true;
        }

        /** Closes the subscription and tells its stream it will get nothing more from here. */
        private void abandon() {
            Runnable whenAbandoned;
            synchronized (this) {
                if (closed) {
                    return;
                }
                whenAbandoned = onAbandon;
                close();
            }
            whenAbandoned.run();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            early.clear();
            bySession.computeIfPresent(sessionId, (s, list) -> {
                list.remove(this);
                return list.isEmpty() ? null : list;
            });
        }
    }
}
