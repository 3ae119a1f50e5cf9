package io.sessionflow.model;

/** Turns a component's model spec into a client. */
@FunctionalInterface
public interface ModelCatalog {

    /** The model for a spec; a null spec means the configured default. */
    ChatModel forSpec(String spec);

    /** Every spec resolves to this one model: for benchmarks and tests that bring their own. */
    static ModelCatalog fixed(ChatModel model) {
        return spec -> model;
    }
}
