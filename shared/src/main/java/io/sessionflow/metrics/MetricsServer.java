package io.sessionflow.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} (Prometheus text) and {@code GET /health/live} for a worker process, which
 * has no HTTP API of its own. The gateway serves the same paths on its API port.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    public MetricsServer(PrometheusMeterRegistry registry, String host, int port) {
        this(registry, host, port, null);
    }

    /** @param readiness answers {@code /health/ready} (200 or 503 with each check's result); null serves only liveness */
    public MetricsServer(PrometheusMeterRegistry registry, String host, int port, io.sessionflow.health.Readiness readiness) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + host + ":" + port + " for metrics", e);
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        if (readiness != null) {
            server.createContext("/health/ready", exchange -> {
                io.sessionflow.health.Readiness.Report report = readiness.check();
                byte[] body = io.sessionflow.json.Json.toBytes(report.toJson());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(report.ready() ? 200 : 503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
        }
        server.createContext("/health/live", exchange -> {
            byte[] body = "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    public MetricsServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
