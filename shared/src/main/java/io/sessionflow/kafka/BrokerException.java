package io.sessionflow.kafka;

import io.sessionflow.SessionflowException;

/** The broker did not take what was sent (a published event, a dead letter, a topic to create) in time. */
public final class BrokerException extends SessionflowException {

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
