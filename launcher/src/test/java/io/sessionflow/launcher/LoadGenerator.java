package io.sessionflow.launcher;

import io.sessionflow.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offers runs through the gateway at a steady pace: each session's runs are sent one after the
 * other (the next once the previous was accepted), so each session has a known submission order;
 * sessions are spread over client threads. Records what was accepted (202) and what was refused.
 */
final class LoadGenerator {

    final Map<String, List<String>> acceptedBySession = new ConcurrentHashMap<>();
    final Map<String, String> runIdByMessage = new ConcurrentHashMap<>();
    final AtomicInteger refused = new AtomicInteger();
    private final GatewayClient client;
    private final String agent;
    private final String messageTail;
    private final String tag;
    private final int sessions;
    private final int runsPerSession;
    private final int runsPerSecond;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<Future<?>> work = new ArrayList<>();

    LoadGenerator(GatewayClient client, String tag, int sessions, int runsPerSession, int runsPerSecond) {
        this(client, tag, sessions, runsPerSession, runsPerSecond, "personal-assistant", "");
    }

    /** @param messageTail appended to every message (for example, lines that ask the local model for tool calls) */
    LoadGenerator(GatewayClient client, String tag, int sessions, int runsPerSession, int runsPerSecond, String agent, String messageTail) {
        this.agent = agent;
        this.messageTail = messageTail;
        this.client = client;
        this.tag = tag;
        this.sessions = sessions;
        this.runsPerSession = runsPerSession;
        this.runsPerSecond = runsPerSecond;
    }

    LoadGenerator start() {
        int threadCount = 8;
        long start = System.nanoTime();
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            work.add(threads.submit(() -> {
                int sent = 0;
                for (int round = 1; round <= runsPerSession; round++) {
                    for (int s = thread; s < sessions; s += threadCount) {
                        String session = tag + "-s" + s;
                        String message = session + " run " + round + messageTail;
                        GatewayClient.Response response = client.post("/v1/agents/" + agent + "/runs",
                                Json.toText(SessionSemanticsIT.body("load", session, message, Json.object().put("r" + round, round))));
                        if (response.status() == 202) {
                            acceptedBySession.computeIfAbsent(session, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(message);
                            runIdByMessage.put(message, response.body().path("run_id").asText());
                        } else {
                            refused.incrementAndGet();
                        }
                        sent++;
                        // Pace: each thread carries 1/threadCount of the total rate.
                        long due = start + (long) (sent * 1e9 * threadCount / runsPerSecond);
                        long wait = (due - System.nanoTime()) / 1_000_000;
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                    }
                }
                return null;
            }));
        }
        return this;
    }

    void await() throws Exception {
        for (Future<?> future : work) {
            future.get();
        }
        threads.shutdown();
    }

    int accepted() {
        return runIdByMessage.size();
    }
}
