package io.sessionflow.outbound;

import io.sessionflow.SessionflowException;

/** An outbound call to a target that {@link OutboundAddressPolicy} does not allow, or that does not resolve. */
public final class RefusedTargetException extends SessionflowException {
    public RefusedTargetException(String message) {
        super(message);
    }
}
