package io.sessionflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the gateway's HTTP API, for the demo, the command line and the tests. */
final class GatewayClient {

    record Response(int status, JsonNode body, java.net.http.HttpHeaders headers) {
        Response(int status, JsonNode body) {
            this(status, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String apiKey;

    /** @param apiKey sent as {@code Authorization: Bearer}; null sends none */
    GatewayClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
    }

    GatewayClient withKey(String otherKey) {
        return new GatewayClient(baseUrl, otherKey);
    }

    /** Starts a run and waits for it to finish. */
    Response run(String kind, String componentId, ObjectNode body) {
        return send("POST", "/v1/" + kind + "/" + componentId + "/runs?wait=true", Json.toText(body));
    }

    /** Posts a raw body to a path (which may carry a query), as any HTTP client could. */
    Response post(String path, String body) {
        return send("POST", path, body);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response send(String method, String path, String body) {
        return send(method, path, body, java.util.Map.of());
    }

    Response send(String method, String path, String body, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text.isEmpty() ? Json.object() : text.startsWith("{") || text.startsWith("[") ? Json.parse(text) : Json.object().put("text", text);
            return new Response(response.statusCode(), json, response.headers());
        } catch (IOException e) {
            throw new GatewayUnreachableException("cannot reach the gateway at " + baseUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnreachableException("interrupted", e);
        }
    }
}
