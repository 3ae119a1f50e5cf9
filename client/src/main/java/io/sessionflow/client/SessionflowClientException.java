package io.sessionflow.client;

/** The root of every error the client throws. */
public class SessionflowClientException extends RuntimeException {

    public SessionflowClientException(String message) {
        super(message);
    }

    public SessionflowClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
