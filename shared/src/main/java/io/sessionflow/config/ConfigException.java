package io.sessionflow.config;

import io.sessionflow.SessionflowException;
import java.util.List;

/** Configuration that cannot work; the message lists every problem, one per line. */
public final class ConfigException extends SessionflowException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
