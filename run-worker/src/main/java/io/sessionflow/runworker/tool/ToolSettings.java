package io.sessionflow.runworker.tool;

import io.sessionflow.config.Env;
import io.sessionflow.config.Secrets;
import io.sessionflow.outbound.OutboundAddressPolicy;
import java.time.Duration;

/**
 * How HTTP tools are called.
 *
 * @param secret  signs every call like a webhook delivery ({@code SESSIONFLOW_TOOL_SECRET}, else the webhook secret)
 * @param timeout how long one call may take to connect, and then to answer
 * @param targets which addresses tools may be at: nothing internal unless {@code SESSIONFLOW_TOOL_ALLOWED_HOSTS}
 *                (host names and CIDR networks, comma-separated) allows it; separate from the webhooks' list,
 *                because tools are chosen by whoever writes the components, webhooks also by API callers
 */
public record ToolSettings(String secret, Duration timeout, OutboundAddressPolicy targets) {

    /** An HTTP tool answers within this, or the call fails with the reason. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    public static ToolSettings read(Env env) {
        OutboundAddressPolicy targets = OutboundAddressPolicy.DEFAULT;
        try {
            targets = OutboundAddressPolicy.allowing(env.optional("SESSIONFLOW_TOOL_ALLOWED_HOSTS").orElse(null));
        } catch (IllegalArgumentException e) {
            env.error("SESSIONFLOW_TOOL_ALLOWED_HOSTS: " + e.getMessage());
        }
        return new ToolSettings(
                env.optional("SESSIONFLOW_TOOL_SECRET").or(() -> env.optional("SESSIONFLOW_WEBHOOK_SECRET")).orElse(null),
                Duration.ofSeconds(env.integer("SESSIONFLOW_TOOL_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, 1, 300)),
                targets);
    }

    public ToolSettings {
        timeout = timeout == null ? Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS) : timeout;
        targets = targets == null ? OutboundAddressPolicy.DEFAULT : targets;
    }

    @Override
    public String toString() {
        return "ToolSettings[secret=" + (secret == null ? "<none>" : Secrets.mask(secret)) + ", timeout=" + timeout + ", targets=" + targets + "]";
    }
}
