package io.sessionflow.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Sends one call with the API key, retries 429 and 503 by the {@link RetryPolicy}, and turns an error answer into its exception. */
final class HttpTransport {

    private final URI baseUri;
    private final String apiKey;
    private final RetryPolicy retries;
    private final Duration requestTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    HttpTransport(URI baseUri, String apiKey, RetryPolicy retries, Duration requestTimeout) {
        this.baseUri = baseUri;
        this.apiKey = apiKey;
        this.retries = retries;
        this.requestTimeout = requestTimeout;
    }

    JsonNode json(String method, String pathAndQuery, Object body, Map<String, String> headers) {
        return send(method, pathAndQuery, body, headers, "application/json", in -> {
            try {
                byte[] bytes = in.readAllBytes();
                return bytes.length == 0 ? ClientJson.MAPPER.createObjectNode() : ClientJson.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new SessionflowClientException("unreadable answer to " + method + " " + pathAndQuery, e);
            }
        });
    }

    /** Reads a text/event-stream answer line by line, handing each frame to {@code onFrame} until it returns false or the stream ends. */
    void events(String method, String pathAndQuery, Object body, Map<String, String> headers, SseFrames.Handler onFrame) {
        send(method, pathAndQuery, body, headers, "text/event-stream", in -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                SseFrames.read(reader, onFrame);
                return null;
            } catch (IOException e) {
                throw new SessionflowClientException("the event stream of " + pathAndQuery + " broke", e);
            }
        });
    }

    private <T> T send(String method, String pathAndQuery, Object body, Map<String, String> headers, String accept, Function<InputStream, T> reader) {
        HttpRequest request = request(method, pathAndQuery, body, headers, accept);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new SessionflowClientException(method + " " + pathAndQuery + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionflowClientException("interrupted during " + method + " " + pathAndQuery, e);
            }
            int status = response.statusCode();
            try (InputStream in = response.body()) {
                if (status < 400) {
                    return reader.apply(in);
                }
                Optional<Integer> retryAfter = response.headers().firstValue("Retry-After").flatMap(HttpTransport::seconds);
                ApiErrorException error = ApiErrorException.of(status, errorBody(status, in.readAllBytes()), retryAfter);
                if (!(error instanceof RetryLaterException) || attempt >= retries.maxAttempts()) {
                    throw error;
                }
                sleep(retries.waitBefore(retryAfter.orElse(null)));
            } catch (IOException e) {
                throw new SessionflowClientException("unreadable answer to " + method + " " + pathAndQuery, e);
            }
        }
    }

    private HttpRequest request(String method, String pathAndQuery, Object body, Map<String, String> headers, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUri.resolve(pathAndQuery)).header("Accept", accept);
        if (!accept.equals("text/event-stream")) {
            builder.timeout(requestTimeout); // a stream lasts as long as its run
        }
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(builder::header);
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(ClientJson.MAPPER.writeValueAsBytes(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the request body cannot be written as JSON", e);
            }
        }
        return builder.build();
    }

    /** The server's error JSON; an answer from something in between (a proxy's HTML page) is wrapped in the same shape. */
    private static JsonNode errorBody(int status, byte[] bytes) {
        try {
            JsonNode body = ClientJson.MAPPER.readTree(bytes);
            if (body != null && body.path("error").isObject()) {
                return body;
            }
        } catch (IOException e) {
            // not JSON: wrapped below
        }
        var wrapped = ClientJson.MAPPER.createObjectNode();
        wrapped.putObject("error").put("status", status).put("code", "http_" + status).put("message", new String(bytes, StandardCharsets.UTF_8));
        return wrapped;
    }

    private static Optional<Integer> seconds(String header) {
        try {
            return Optional.of(Math.max(0, Integer.parseInt(header.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: the fallback wait applies
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionflowClientException("interrupted while waiting to retry", e);
        }
    }
}
