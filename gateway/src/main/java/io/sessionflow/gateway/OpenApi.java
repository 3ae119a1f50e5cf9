package io.sessionflow.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenAPI description of the HTTP API, shipped as a resource and served at {@code /v1/openapi.yaml}. */
public final class OpenApi {

    public static final String RESOURCE = "/openapi.yaml";

    private OpenApi() {
    }

    public static String document() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the gateway's classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
