package io.sessionflow.kafka.consumer;

/** Receives each parsed record of an {@link OrderedConsumer}, in partition order, on the poll thread: hand slow work off. */
@FunctionalInterface
public interface RecordHandler<V> {
    void handle(V value, RecordTicket ticket);
}
