package io.sessionflow.health;

import io.sessionflow.concurrent.DaemonThreads;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.store.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether a service can do its work: Postgres answers, a Kafka broker answers, and (for a worker)
 * it has partitions to work on. Checked at most once a second, however often it is asked.
 */
public final class Readiness implements AutoCloseable {

    /** The outcome: ready or not, with each check's result ("ok" or why not). */
    public record Report(boolean ready, Map<String, String> checks) {
        public ObjectNode toJson() {
            ObjectNode json = Json.object().put("status", ready ? "ready" : "not_ready");
            ObjectNode detail = json.putObject("checks");
            checks.forEach(detail::put);
            return json;
        }
    }

    private final Database database;
    private final Admin admin;
    private final java.util.concurrent.ExecutorService probes =
            java.util.concurrent.Executors.newCachedThreadPool(DaemonThreads.named("readiness-probe"));
    private final Map<String, BooleanSupplier> work = new LinkedHashMap<>();
    private volatile Report last;
    private volatile long checkedAt;

    public Readiness(Database database, KafkaClients clients) {
        this.database = database;
        this.admin = clients.admin();
    }

    /** A worker is ready only while it has something assigned: {@code name} says what. */
    public Readiness requireWork(String name, BooleanSupplier hasWork) {
        work.put(name, hasWork);
        return this;
    }

    public synchronized Report check() {
        if (last != null && System.nanoTime() - checkedAt < TimeUnit.SECONDS.toNanos(1)) {
            return last;
        }
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("postgres", postgres());
        checks.put("kafka", kafka());
        work.forEach((name, hasWork) -> checks.put(name, hasWork.getAsBoolean() ? "ok" : "no partitions assigned"));
        last = new Report(checks.values().stream().allMatch("ok"::equals), checks);
        checkedAt = System.nanoTime();
        return last;
    }

    /** Bounded by its own timeout: a pool waiting for a connection to a dead server would otherwise hold the answer. */
    private String postgres() {
        java.util.concurrent.CompletableFuture<Boolean> ping = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> database.answers(2), probes);
        try {
            return ping.get(3, TimeUnit.SECONDS) ? "ok" : "not answering";
        } catch (java.util.concurrent.TimeoutException e) {
            ping.cancel(true);
            return "unreachable: no connection within 3 s";
        } catch (Exception e) {
            return "unreachable: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
    }

    private String kafka() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS).size();
            return nodes > 0 ? "ok" : "no brokers";
        } catch (Exception e) {
            return "unreachable: " + e.getClass().getSimpleName();
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
        admin.close();
    }
}
