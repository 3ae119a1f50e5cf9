package io.sessionflow.gateway.webhook;

import io.sessionflow.outbound.RequestSignature;

/** A webhook delivery's signature: the scheme of {@link RequestSignature}, shared with HTTP tool calls. */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    public static String sign(String secret, String timestamp, byte[] body) {
        return RequestSignature.sign(secret, timestamp, body);
    }
}
