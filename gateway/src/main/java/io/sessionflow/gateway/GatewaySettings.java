package io.sessionflow.gateway;

import io.sessionflow.config.Env;
import java.time.Duration;

/**
 * @param port            0 picks a free port (tests, embedded dev)
 * @param waitTimeout     how long {@code wait=true} holds a request before answering 202 with the run as it stands
 * @param maxBodyBytes    larger request bodies are refused with 413
 * @param maxMessageChars longer messages are refused with 400
 * @param maxStateBytes   larger session_state arguments are refused with 400
 * @param maxBacklog      accepted, unfinished runs past which new runs are refused with 429 and Retry-After
 * @param reprocessRate   sessions a second that reprocessing jobs publish, so live runs keep their latency
 * @param sessionRetention sessions not updated for this long are deleted in the background; null: kept for ever (the default)
 */
public record GatewaySettings(String host, int port, Duration waitTimeout, int maxBodyBytes, int maxMessageChars, int maxStateBytes, int httpThreads,
                              double reprocessRate, long maxBacklog, Duration streamTimeout, Duration sessionRetention) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_WAIT_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_MESSAGE_CHARS = 100_000;
    public static final int DEFAULT_MAX_STATE_BYTES = 256 << 10;
    public static final int DEFAULT_HTTP_THREADS = 64;
    public static final int DEFAULT_REPROCESS_RATE = 500;
    public static final int DEFAULT_MAX_BACKLOG = 100_000;
    public static final int DEFAULT_STREAM_TIMEOUT_SECONDS = 600;
    public static final int DEFAULT_SESSION_RETENTION_DAYS = 0;

    public static GatewaySettings read(Env env) {
        return new GatewaySettings(
                env.string("SESSIONFLOW_GATEWAY_HOST", DEFAULT_HOST),
                env.integer("SESSIONFLOW_GATEWAY_PORT", DEFAULT_PORT, 0, 65535),
                Duration.ofSeconds(env.integer("SESSIONFLOW_WAIT_TIMEOUT_SECONDS", DEFAULT_WAIT_TIMEOUT_SECONDS, 1, 3600)),
                env.integer("SESSIONFLOW_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1024, 64 << 20),
                env.integer("SESSIONFLOW_MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS, 1, 10_000_000),
                env.integer("SESSIONFLOW_MAX_STATE_BYTES", DEFAULT_MAX_STATE_BYTES, 2, 16 << 20),
                env.integer("SESSIONFLOW_GATEWAY_THREADS", DEFAULT_HTTP_THREADS, 2, 4096),
                env.integer("SESSIONFLOW_REPROCESS_RATE", DEFAULT_REPROCESS_RATE, 1, 1_000_000),
                env.integer("SESSIONFLOW_MAX_BACKLOG", DEFAULT_MAX_BACKLOG, 1, Integer.MAX_VALUE),
                Duration.ofSeconds(env.integer("SESSIONFLOW_STREAM_TIMEOUT_SECONDS", DEFAULT_STREAM_TIMEOUT_SECONDS, 1, 86_400)),
                retention(env.integer("SESSIONFLOW_SESSION_RETENTION_DAYS", DEFAULT_SESSION_RETENTION_DAYS, 0, 36_500)));
    }

    /** 0 days (the default) turns retention off: deleting users' data is something to ask for. */
    private static Duration retention(int days) {
        return days == 0 ? null : Duration.ofDays(days);
    }
}
