package io.sessionflow.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads typed settings from environment variables and collects every problem, so that a service
 * reports all of its configuration errors at once instead of one per restart.
 */
public final class Env {

    private final Map<String, String> vars;
    private final List<String> errors = new ArrayList<>();

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public String required(String name, String why) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            errors.add(name + " is not set: " + why);
            return "";
        }
        return value.get();
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                errors.add(name + "=" + parsed + " is out of range [" + min + ", " + max + "]");
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            errors.add(name + "='" + value.get() + "' is not a whole number");
            return defaultValue;
        }
    }

    public void error(String message) {
        errors.add(message);
    }

    /** Throws one exception listing every problem found so far. */
    public void check() {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }
}
