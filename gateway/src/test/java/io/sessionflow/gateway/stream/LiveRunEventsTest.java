package io.sessionflow.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.config.KafkaSettings;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.Topics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The tail's table of subscriptions, without a broker (the tail is never started, so its consumer never
 * connects): streams of one session come and go from many threads at once, and none may be left
 * outside the table, where the tail would never find it.
 */
class LiveRunEventsTest {

    private final LiveRunEvents live = new LiveRunEvents(new KafkaClients(new KafkaSettings("127.0.0.1:9", new Topics("test."), 1,
            (short) 1, KafkaSettings.DEFAULT_GROUP_PROTOCOL, Map.of())));

    @Test
    void shouldKeepEverySubscriptionFindableWhileOthersOfItsSessionClose() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread others = new Thread(() -> {
            while (running.get()) {
                live.subscribe("session", "other-run").orElseThrow().close();
            }
        });
        others.start();
        AtomicInteger lost = new AtomicInteger();
        try {
            for (int i = 0; i < 200_000; i++) {
                LiveRunEvents.Subscription mine = live.subscribe("session", "run-" + i).orElseThrow();
                if (!live.isSubscribed(mine)) {
                    lost.incrementAndGet();
                }
                mine.close();
            }
        } finally {
            running.set(false);
            others.join();
        }
        assertThat(lost.get()).as("subscriptions left where the tail cannot find them").isZero();
        assertThat(live.isEmpty()).as("closed subscriptions leave nothing behind").isTrue();
    }
}
