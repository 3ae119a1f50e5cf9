package io.sessionflow.gateway.webhook;

import io.sessionflow.config.Env;
import java.time.Duration;

/**
 * @param secret      signs every delivery (HMAC-SHA256); without one, webhooks are off and runs that name one are refused
 * @param maxAttempts tries per delivery before it goes to the webhook dead-letter topic
 */
public record WebhookSettings(String secret, int maxAttempts, Duration firstRetry, Duration timeout) {

    public static WebhookSettings read(Env env) {
        return new WebhookSettings(
                env.optional("SESSIONFLOW_WEBHOOK_SECRET").orElse(null),
                env.integer("SESSIONFLOW_WEBHOOK_MAX_ATTEMPTS", 5, 1, 50),
                Duration.ofMillis(env.integer("SESSIONFLOW_WEBHOOK_RETRY_MS", 1000, 1, 600_000)),
                Duration.ofSeconds(env.integer("SESSIONFLOW_WEBHOOK_TIMEOUT_SECONDS", 10, 1, 300)));
    }

    public boolean enabled() {
        return secret != null;
    }

    @Override
    public String toString() {
        return "WebhookSettings[secret=" + (secret == null ? "<none: webhooks off>" : "****") + ", attempts=" + maxAttempts + "]";
    }
}
