package io.sessionflow.client;

import java.util.Objects;

/** What a run runs: an agent or a team, by id. */
public record Component(String kind, String id) {

    public Component {
        if (!"agents".equals(kind) && !"teams".equals(kind)) {
            throw new IllegalArgumentException("kind must be agents or teams, got " + kind);
        }
        Objects.requireNonNull(id, "null component id");
    }

    public static Component agent(String id) {
        return new Component("agents", id);
    }

    public static Component team(String id) {
        return new Component("teams", id);
    }
}
