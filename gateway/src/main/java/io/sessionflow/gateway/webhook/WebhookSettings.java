package io.sessionflow.gateway.webhook;

import io.sessionflow.config.Env;
import io.sessionflow.config.Secrets;
import io.sessionflow.outbound.OutboundAddressPolicy;
import java.time.Duration;

/**
 * @param secret      signs every delivery (HMAC-SHA256); without one, webhooks are off and runs that name one are refused
 * @param maxAttempts tries per delivery before it goes to the webhook dead-letter topic
 * @param targets     which addresses webhooks may be sent to: nothing internal unless
 *                    {@code SESSIONFLOW_WEBHOOK_ALLOWED_HOSTS} (host names and CIDR networks, comma-separated) allows it
 */
public record WebhookSettings(String secret, int maxAttempts, Duration firstRetry, Duration timeout, OutboundAddressPolicy targets) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final int DEFAULT_RETRY_MS = 1000;
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    public static WebhookSettings read(Env env) {
        OutboundAddressPolicy targets = OutboundAddressPolicy.DEFAULT;
        try {
            targets = OutboundAddressPolicy.allowing(env.optional("SESSIONFLOW_WEBHOOK_ALLOWED_HOSTS").orElse(null));
        } catch (IllegalArgumentException e) {
            env.error("SESSIONFLOW_WEBHOOK_ALLOWED_HOSTS: " + e.getMessage());
        }
        return new WebhookSettings(
                env.optional("SESSIONFLOW_WEBHOOK_SECRET").orElse(null),
                env.integer("SESSIONFLOW_WEBHOOK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, 50),
                Duration.ofMillis(env.integer("SESSIONFLOW_WEBHOOK_RETRY_MS", DEFAULT_RETRY_MS, 1, 600_000)),
                Duration.ofSeconds(env.integer("SESSIONFLOW_WEBHOOK_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, 1, 300)),
                targets);
    }

    public WebhookSettings {
        targets = targets == null ? OutboundAddressPolicy.DEFAULT : targets;
    }

    public boolean enabled() {
        return secret != null;
    }

    @Override
    public String toString() {
        return "WebhookSettings[secret=" + (secret == null ? "<none: webhooks off>" : Secrets.mask(secret)) + ", attempts=" + maxAttempts
                + ", firstRetry=" + firstRetry + ", timeout=" + timeout + ", targets=" + targets + "]";
    }
}
