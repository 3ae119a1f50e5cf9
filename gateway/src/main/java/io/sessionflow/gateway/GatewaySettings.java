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

    public static GatewaySettings read(Env env) {
        return new GatewaySettings(
                env.string("SESSIONFLOW_GATEWAY_HOST", "0.0.0.0"),
                env.integer("SESSIONFLOW_GATEWAY_PORT", 8080, 0, 65535),
                Duration.ofSeconds(env.integer("SESSIONFLOW_WAIT_TIMEOUT_SECONDS", 60, 1, 3600)),
                env.integer("SESSIONFLOW_MAX_BODY_BYTES", 1 << 20, 1024, 64 << 20),
                env.integer("SESSIONFLOW_MAX_MESSAGE_CHARS", 100_000, 1, 10_000_000),
                env.integer("SESSIONFLOW_MAX_STATE_BYTES", 256 << 10, 2, 16 << 20),
                env.integer("SESSIONFLOW_GATEWAY_THREADS", 64, 2, 4096),
                env.integer("SESSIONFLOW_REPROCESS_RATE", 500, 1, 1_000_000),
                env.integer("SESSIONFLOW_MAX_BACKLOG", 100_000, 1, Integer.MAX_VALUE),
                Duration.ofSeconds(env.integer("SESSIONFLOW_STREAM_TIMEOUT_SECONDS", 600, 1, 86_400)),
                retention(env.integer("SESSIONFLOW_SESSION_RETENTION_DAYS", 0, 0, 36_500)));
    }

    /** 0 days (the default) turns retention off: deleting users' data is something to ask for. */
    private static Duration retention(int days) {
        return days == 0 ? null : Duration.ofDays(days);
    }
}
