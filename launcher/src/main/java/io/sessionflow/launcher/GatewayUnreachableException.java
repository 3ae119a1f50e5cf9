package io.sessionflow.launcher;

import io.sessionflow.SessionflowException;

/** The gateway did not answer at all (refused, timed out, or the wait was interrupted): the CLI exits 1 with this message. */
final class GatewayUnreachableException extends SessionflowException {

    GatewayUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
