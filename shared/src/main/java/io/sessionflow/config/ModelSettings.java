package io.sessionflow.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Which model components use when they name none, and how to reach an OpenAI-compatible endpoint.
 * A model spec is {@code local} (the built-in offline model) or {@code openai:<model id>}.
 */
public record ModelSettings(String defaultModel, String openAiBaseUrl, String openAiApiKey, Duration timeout, int maxRetries) {

    public static final String LOCAL = "local";
    public static final String OPENAI_PREFIX = "openai:";
    public static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final int DEFAULT_OPENAI_TIMEOUT_SECONDS = 120;
    public static final int DEFAULT_OPENAI_MAX_RETRIES = 2;


    public ModelSettings {
        Objects.requireNonNull(defaultModel, "null default model");
        Objects.requireNonNull(openAiBaseUrl, "null base url");
        Objects.requireNonNull(timeout, "null timeout");
    }

    public static ModelSettings read(Env env) {
        String fallback = env.optional("OPENAI_MODEL").map(id -> OPENAI_PREFIX + id).orElse(LOCAL);
        String defaultModel = env.string("SESSIONFLOW_MODEL", fallback);
        if (!isValidSpec(defaultModel)) {
            env.error("SESSIONFLOW_MODEL must be 'local' or 'openai:<model id>', got '" + defaultModel + "'");
        }
        String baseUrl = env.string("OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL);
        String apiKey = env.optional("OPENAI_API_KEY").orElse(null);
        int timeoutSeconds = env.integer("OPENAI_TIMEOUT_SECONDS", DEFAULT_OPENAI_TIMEOUT_SECONDS, 1, 3600);
        int retries = env.integer("OPENAI_MAX_RETRIES", DEFAULT_OPENAI_MAX_RETRIES, 0, 10);
        return new ModelSettings(defaultModel, baseUrl, apiKey, Duration.ofSeconds(timeoutSeconds), retries);
    }

    public static boolean isValidSpec(String spec) {
        return LOCAL.equals(spec) || (spec != null && spec.startsWith(OPENAI_PREFIX) && spec.length() > OPENAI_PREFIX.length());
    }

    @Override
    public String toString() {
        return "ModelSettings[default=" + defaultModel + ", openai.base_url=" + Secrets.url(openAiBaseUrl) + ", openai.api_key="
                + Secrets.mask(openAiApiKey) + ", timeout=" + timeout + ", retries=" + maxRetries + "]";
    }
}
