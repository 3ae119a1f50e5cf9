package io.sessionflow.model;

import io.sessionflow.SessionflowException;

/** A model answered, but not with what was asked for (JSON that breaks the schema): worth a bounded retry, never worth storing. */
public final class ModelOutputException extends SessionflowException {
    public ModelOutputException(String message) {
        super(message);
    }
}
