package io.sessionflow.gateway;

import io.sessionflow.SessionflowException;

/** The gateway could not start or stop its HTTP server: the address is taken, or the server did not answer in time. */
public final class GatewayStartException extends SessionflowException {

    GatewayStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
