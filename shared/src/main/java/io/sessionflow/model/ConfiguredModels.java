package io.sessionflow.model;

import io.sessionflow.config.ModelSettings;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The catalog of a deployment: {@code local}, or {@code openai:<id>} against the configured endpoint; one client per spec. */
public final class ConfiguredModels implements ModelCatalog {

    private final ModelSettings settings;
    private final Map<String, ChatModel> models = new ConcurrentHashMap<>();

    public ConfiguredModels(ModelSettings settings) {
        this.settings = Objects.requireNonNull(settings, "null model settings");
    }

    @Override
    public ChatModel forSpec(String spec) {
        String resolved = spec == null ? settings.defaultModel() : spec;
        return models.computeIfAbsent(resolved, this::create);
    }

    private ChatModel create(String spec) {
        if (ModelSettings.LOCAL.equals(spec)) {
            return new LocalModel();
        }
        if (spec.startsWith(ModelSettings.OPENAI_PREFIX)) {
            return new OpenAiChatModel(spec.substring(ModelSettings.OPENAI_PREFIX.length()), settings);
        }
        throw new IllegalArgumentException("unknown model spec '" + spec + "': use 'local' or 'openai:<model id>'");
    }
}
