package io.sessionflow.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.gateway.auth.Principal;
import io.sessionflow.json.Json;
import io.sessionflow.store.StoreException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Optional;

/**
 * One HTTP exchange with its path parameters: reads the bounded JSON body and query, writes JSON.
 * Handlers run on the bounded worker pool, never on an event loop, because they block (JDBC, Kafka
 * sends); a handler that waits for something answers later through {@link #continueWhen}, holding
 * no thread meanwhile.
 */
public final class HttpCall {

    private static final Logger log = LoggerFactory.getLogger(HttpCall.class);

    private final HttpServerRequest request;
    private final Map<String, String> pathParams;
    private final Vertx vertx;
    private final Executor workers;
    private Map<String, String> query;
    private final int maxBodyBytes;
    private Principal principal;
    private final byte[] body;
    /** The body was larger than the limit: 413 when read, and the connection closes after the answer. */
    private final boolean bodyTooLarge;
    private final ErrorBody errorBody;

    HttpCall(HttpServerRequest request, Map<String, String> pathParams, Vertx vertx, Executor workers, int maxBodyBytes,
             byte[] body, boolean bodyTooLarge, ErrorBody errorBody) {
        this.errorBody = errorBody;
        this.request = request;
        this.pathParams = pathParams;
        this.vertx = vertx;
        this.workers = workers;
        this.maxBodyBytes = maxBodyBytes;
        this.body = body;
        this.bodyTooLarge = bodyTooLarge;
    }

    void authenticate(Principal principal) {
        this.principal = principal;
    }

    /** Who is calling; set before the handler runs. */
    public Principal principal() {
        return principal;
    }

    public String path(String name) {
        return pathParams.get(name);
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query().get(name));
    }

    /** Parsed on first use, inside the handler, so that an undecodable query is answered as a 400 like any bad parameter. */
    private Map<String, String> query() {
        if (query == null) {
            query = parseQuery(request.query());
        }
        return query;
    }

    /** The request's path, without the query. */
    public String requestPath() {
        return request.path();
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    /** Strict parameter validation: a query parameter the route does not know is a 400, not silently ignored. */
    public void allowQuery(java.util.Set<String> known) {
        for (String name : query().keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest(name, "unknown query parameter '" + name + "'");
            }
        }
    }

    public int queryInt(String name, int defaultValue, int min, int max) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(name, name + " must be a whole number from " + min + " to " + max);
    }

    /** One of the allowed values, exactly. */
    public String queryChoice(String name, String defaultValue, java.util.List<String> allowed) {
        String value = query(name).orElse(defaultValue);
        if (value != null && !allowed.contains(value)) {
            throw ApiException.badRequest(name, name + " must be one of " + allowed);
        }
        return value;
    }

    /** An ISO-8601 instant ({@code 2026-01-31T12:00:00Z}) or date ({@code 2026-01-31}, midnight UTC). */
    public java.time.Instant queryInstant(String name) {
        return query(name).map(value -> instant(name, value)).orElse(null);
    }

    /** Reads a field's ISO-8601 instant or date (midnight UTC), as query parameters and bodies both take them. */
    public static java.time.Instant instant(String field, String text) {
        try {
            return text.length() == 10
                    ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(field, field + " must be an ISO-8601 date (2026-01-31) or time (2026-01-31T12:00:00Z)");
        }
    }

    /** A Unix time in whole seconds (Agno's {@code start_timestamp}), or null when absent. */
    public java.time.Instant queryEpochSeconds(String name) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.get());
            if (seconds >= 0 && seconds <= 253_402_300_799L) { // up to 9999-12-31, as far as an ISO date reaches
                return java.time.Instant.ofEpochSecond(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(name, name + " must be a Unix time in whole seconds");
    }

    /** A strict boolean query parameter: absent is {@code defaultValue}, anything but true/false is a 400. */
    public boolean queryFlag(String name, boolean defaultValue) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest(name, name + " must be true or false");
        };
    }

    /**
     * The body as JSON. A body declared as something else is a 415 (no Content-Type is taken as
     * JSON); over the size limit is a 413; malformed JSON, or nesting deeper than the parser's
     * limit, is a 400 saying where.
     */
    public JsonNode jsonBody() {
        java.util.List<String> types = request.headers().getAll("Content-Type");
        types.stream().filter(type -> !isJson(type)).findFirst().ifPresent(type -> {
            throw new ApiException(415, "unsupported_media_type", "the body must be JSON, sent as Content-Type: application/json, not " + type, null);
        });
        byte[] body = bodyBytes();
        if (body.length == 0) {
            throw ApiException.badRequest(null, "the request needs a JSON body");
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            String detail = e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new ApiException(400, "malformed_json", "the body is not valid JSON: " + detail, null);
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.startsWith("application/") && mediaType.endsWith("+json");
    }

    /** The raw body, read before the handler ran and bounded by the size limit. */
    public byte[] bodyBytes() {
        if (bodyTooLarge) {
            throw new ApiException(413, "body_too_large", "the body is larger than " + maxBodyBytes + " bytes", null);
        }
        return body;
    }

    public void setHeader(String name, String value) {
        request.response().putHeader(name, value);
    }

    public void respond(int status, Object body) {
        respondBytes(status, "application/json", Json.toBytes(body));
    }

    public void respondText(int status, String contentType, String text) {
        respondBytes(status, contentType, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void respondBytes(int status, String contentType, byte[] bytes) {
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return; // the client went away; there is nobody left to tell
        }
        response.setStatusCode(status).putHeader("Content-Type", contentType);
        if (bodyTooLarge) {
            // What is left of an oversized body is not read: a client still uploading would otherwise
            // wait on a connection that will never serve it again.
            response.putHeader("Connection", "close");
            response.end(Buffer.buffer(bytes)).onComplete(done -> request.connection().close());
        } else {
            response.end(Buffer.buffer(bytes));
        }
    }

    /** Switches the response to server-sent events. */
    public EventStream openEventStream() {
        return new EventStream(request.response(), vertx, workers, this::fail);
    }

    /**
     * Answers once {@code stage} completes, holding no thread until then: {@code then} runs on the
     * worker pool (it may block), and what it throws is answered like any handler's failure.
     */
    public <T> void continueWhen(CompletionStage<T> stage, BiConsumer<HttpCall, T> then) {
        stage.whenCompleteAsync((value, error) -> {
            try {
                if (error != null) {
                    throw error instanceof RuntimeException e ? e : new IllegalStateException(error);
                }
                then.accept(this, value);
            } catch (RuntimeException e) {
                fail(e);
            }
        }, workers);
    }

    /**
     * Turns a failure into a JSON error: an {@link ApiException} as itself, a database outage as a
     * 503 to retry, anything else as a 500 that leaks no internals.
     */
    void fail(Throwable failure) {
        ApiException error;
        if (failure instanceof ApiException api) {
            error = api;
        } else if (failure instanceof StoreException store && store.isTransient()) {
            log.warn("{} {}: database unavailable: {}", request.method(), request.path(), store.getMessage());
            error = new ApiException(503, "database_unavailable", "the database is unavailable; try again shortly", null, 2);
        } else {
            log.error("{} {} failed", request.method(), request.path(), failure);
            error = new ApiException(500, "internal_error", "the request failed on the server; see its log", null);
        }
        if (request.response().headWritten()) {
            request.connection().close(); // an event stream already under way: ending it is all that is left to say
            return;
        }
        respondError(error);
    }

    public void respondError(ApiException error) {
        if (error.retryAfterSeconds() != null) {
            setHeader("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        respond(error.status(), errorBody.render(error));
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = PercentDecoder.query(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : PercentDecoder.query(pair.substring(eq + 1));
            params.putIfAbsent(key, value);
        }
        return params;
    }
}
