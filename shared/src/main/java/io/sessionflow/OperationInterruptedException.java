package io.sessionflow;

/** A wait (for the broker, the model, a pause between tries) that was interrupted because its thread is being stopped. */
public final class OperationInterruptedException extends SessionflowException {

    public OperationInterruptedException(String message, InterruptedException cause) {
        super(message, cause);
    }
}
