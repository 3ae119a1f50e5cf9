package io.sessionflow.launcher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP tool on loopback that counts how many times each tool call reached it (by run id and tool
 * call id, the headers every call carries) and answers only after a pause, so a fault can land while
 * calls are in flight. A call counts when it arrives: that is when a real tool would take effect.
 */
final class CountingToolServer implements AutoCloseable {

    static final String PATH = "/slow_tool";

    private final HttpServer server;
    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    CountingToolServer(int answerAfterMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(PATH, exchange -> {
            exchange.getRequestBody().readAllBytes();
            String call = exchange.getRequestHeaders().getFirst("X-Sessionflow-Run-Id") + "/"
                    + exchange.getRequestHeaders().getFirst("X-Sessionflow-Tool-Call-Id");
            int count = executions.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
            inFlight.incrementAndGet();
            try {
                Thread.sleep(answerAfterMillis);
                byte[] answer = ("execution " + count + " of " + call).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The caller is gone (killed): the call took effect all the same, and is counted.
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort() + PATH;
    }

    /** Calls received and not answered yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** Executions per call ("run id/tool call id"). */
    Map<String, Integer> executions() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        executions.forEach((call, count) -> copy.put(call, count.get()));
        return copy;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
