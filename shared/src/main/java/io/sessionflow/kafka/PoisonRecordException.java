package io.sessionflow.kafka;

/** A record that can never be processed, whatever the retries: it goes to the dead-letter topic. */
public final class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
