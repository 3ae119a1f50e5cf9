package io.sessionflow.outbound;

/** An outbound call to a target that {@link OutboundAddressPolicy} does not allow, or that does not resolve. */
public final class RefusedTargetException extends RuntimeException {
    public RefusedTargetException(String message) {
        super(message);
    }
}
