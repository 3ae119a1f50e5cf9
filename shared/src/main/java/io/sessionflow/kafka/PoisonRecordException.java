package io.sessionflow.kafka;

import io.sessionflow.SessionflowException;

/** A record that can never be processed, whatever the retries: it goes to the dead-letter topic. */
public final class PoisonRecordException extends SessionflowException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
