package io.sessionflow.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionflow.config.ConfigException;
import io.sessionflow.event.ComponentType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MemoryOptionsTest {

    private static ComponentRegistry parse(String agentLines) {
        String yaml = "agents:\n  - id: a\n" + agentLines.indent(4);
        return ComponentRegistry.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static MemoryOptions memoryOf(String agentLines) {
        return parse(agentLines).find(ComponentType.AGENT, "a").orElseThrow().memory();
    }

    @Test
    void shouldReadAgnosNamesFlatInTheComponent() {
        MemoryOptions memory = memoryOf("""
                update_memory_on_run: true
                user_profile: true
                memory_model: local
                memory_limit: 5""");

        assertThat(memory.updateMemoryOnRun()).isTrue();
        assertThat(memory.userProfile()).isTrue();
        assertThat(memory.memoryModel()).isEqualTo("local");
        assertThat(memory.memoryLimit()).isEqualTo(5);
        assertThat(memory.injectsMemories()).as("add_memories_to_context defaults to on with memories").isTrue();
    }

    @Test
    void shouldLeaveMemoriesOffByDefault() {
        MemoryOptions memory = memoryOf("instructions: hi");

        assertThat(memory.updateMemoryOnRun()).isFalse();
        assertThat(memory.injectsMemories()).isFalse();
        assertThat(memory.memoryLimit()).isEqualTo(MemoryOptions.DEFAULT_MEMORY_LIMIT);
    }

    @Test
    void shouldAllowShowingHandAddedMemoriesWithoutExtraction() {
        MemoryOptions memory = memoryOf("add_memories_to_context: true");

        assertThat(memory.updateMemoryOnRun()).isFalse();
        assertThat(memory.injectsMemories()).isTrue();
    }

    @Test
    void shouldLetAddMemoriesToContextBeTurnedOff() {
        assertThat(memoryOf("update_memory_on_run: true\nadd_memories_to_context: false").injectsMemories()).isFalse();
    }

    @Test
    void shouldRefuseAProfileWithoutExtraction() {
        assertThatThrownBy(() -> parse("user_profile: true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("user_profile").hasMessageContaining("update_memory_on_run: true");
    }

    @Test
    void shouldRefuseAMemoryModelWithoutExtraction() {
        assertThatThrownBy(() -> parse("memory_model: local")).isInstanceOf(ConfigException.class).hasMessageContaining("memory_model");
    }

    @Test
    void shouldRefuseAnInvalidMemoryModelSpec() {
        assertThatThrownBy(() -> parse("update_memory_on_run: true\nmemory_model: gpt"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("memory_model must be 'local' or 'openai:<model id>'");
    }

    @Test
    void shouldRefuseAgenticMemoryUntilToolsExist() {
        assertThatThrownBy(() -> parse("enable_agentic_memory: true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs tools").hasMessageContaining("issue 16");
    }

    @Test
    void shouldRefuseAMemoryLimitOutOfRange() {
        assertThatThrownBy(() -> parse("update_memory_on_run: true\nmemory_limit: 0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("memory_limit");
    }

    @Test
    void shouldStillRefuseAMisspeltMemoryFlag() {
        assertThatThrownBy(() -> parse("update_memories_on_run: true")).isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldServeTheBuiltInMemoryAssistant() {
        MemoryOptions memory = ComponentRegistry.builtIn().find(ComponentType.AGENT, "memory-assistant").orElseThrow().memory();

        assertThat(memory.updateMemoryOnRun()).isTrue();
        assertThat(memory.userProfile()).isTrue();
    }
}
