package io.sessionflow.outbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Sessionflow-Signature: sha256=<hex>}, the HMAC-SHA256 of {@code <timestamp>.<body>} with the
 * shared secret. Signing the timestamp with the body lets receivers refuse replays of old deliveries.
 * Webhook deliveries and HTTP tool calls are signed alike, so one receiver check serves both.
 */
public final class RequestSignature {

    private RequestSignature() {
    }

    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
