package io.sessionflow.component;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.model.ToolSpec;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * A tool a component's model may call, as configured. With a {@code url} it is an HTTP tool: the
 * worker POSTs the arguments there, signed. Without one it is an external tool, executed by the
 * caller of a paused run.
 *
 * @param parameters           a JSON schema (an object schema) for the arguments
 * @param requiresConfirmation the call waits for a human's approval before it is executed
 */
public record ToolDefinition(String name, String description, ObjectNode parameters, URI url, boolean requiresConfirmation) {

    /** What providers accept as a function name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ToolDefinition {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name + "' must be 1 to 64 letters, digits, '_' or '-'");
        }
        description = description == null ? "" : description;
        if (parameters == null) {
            parameters = io.sessionflow.json.Json.object().put("type", "object");
            parameters.putObject("properties");
        } else if (!"object".equals(parameters.path("type").asText())) {
            throw new IllegalArgumentException("tool " + name + ": parameters must be a JSON schema of type: object");
        }
        parameters = parameters.deepCopy();
        if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url != null && url.getHost() == null) {
            throw new IllegalArgumentException("tool " + name + ": url must be an absolute http(s) URL, got '" + url + "'");
        }
    }

    /** An HTTP tool (else an external one). */
    public boolean isHttp() {
        return url != null;
    }

    public ToolSpec spec() {
        return new ToolSpec(name, description, parameters.deepCopy());
    }
}
