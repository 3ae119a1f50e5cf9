package io.sessionflow.model;

/** A model answered, but not with what was asked for (JSON that breaks the schema): worth a bounded retry, never worth storing. */
public final class ModelOutputException extends RuntimeException {
    public ModelOutputException(String message) {
        super(message);
    }
}
