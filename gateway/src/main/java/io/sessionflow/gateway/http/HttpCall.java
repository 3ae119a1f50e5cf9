package io.sessionflow.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.sessionflow.gateway.auth.Principal;
import io.sessionflow.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One HTTP exchange with its path parameters: reads the bounded JSON body and query, writes JSON. */
public final class HttpCall {

    private final HttpExchange exchange;
    private final Map<String, String> pathParams;
    private Map<String, String> query;
    private final int maxBodyBytes;
    private Principal principal;
    private byte[] body;

    HttpCall(HttpExchange exchange, Map<String, String> pathParams, int maxBodyBytes) {
        this.exchange = exchange;
        this.pathParams = pathParams;
        this.maxBodyBytes = maxBodyBytes;
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
            query = parseQuery(exchange.getRequestURI().getRawQuery());
        }
        return query;
    }

    /** The request's path, without the query. */
    public String requestPath() {
        return exchange.getRequestURI().getRawPath();
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
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
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return value.get().length() == 10
                    ? java.time.LocalDate.parse(value.get()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : java.time.OffsetDateTime.parse(value.get()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(name, name + " must be an ISO-8601 date (2026-01-31) or time (2026-01-31T12:00:00Z)");
        }
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
        java.util.List<String> types = exchange.getRequestHeaders().getOrDefault("Content-Type", java.util.List.of());
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

    /** The raw body (read once, bounded by the size limit). */
    public byte[] bodyBytes() {
        if (body == null) {
            body = readBody();
        }
        return body;
    }

    public void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    private byte[] readBody() {
        InputStream in = exchange.getRequestBody();
        try {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                discardRest(in);
                throw new ApiException(413, "body_too_large", "the body is larger than " + maxBodyBytes + " bytes", null);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest(null, "could not read the body: " + e.getMessage());
        }
    }

    /**
     * Reads and drops what is left of an oversized body, up to a bound: a client still uploading when
     * the 413 is sent would otherwise see a connection reset instead of the answer.
     */
    private void discardRest(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long budget = 16L * maxBodyBytes;
        int read;
        while (budget > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, budget))) > 0) {
            budget -= read;
        }
        exchange.getResponseHeaders().set("Connection", "close");
    }

    public void respond(int status, Object body) {
        byte[] bytes = Json.toBytes(body);
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client went away; there is nobody left to tell.
        }
    }

    /** Switches the response to server-sent events. */
    public EventStream openEventStream() {
        try {
            return new EventStream(exchange);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the event stream", e);
        }
    }

    public void respondText(int status, String contentType, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client went away; there is nobody left to tell.
        }
    }

    public void respondError(ApiException error) {
        if (error.retryAfterSeconds() != null) {
            setHeader("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", error.status());
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        if (error.field() != null) {
            detail.put("field", error.field());
        }
        respond(error.status(), Map.of("error", detail));
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
