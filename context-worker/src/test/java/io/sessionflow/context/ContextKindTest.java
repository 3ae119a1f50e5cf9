package io.sessionflow.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.ComponentType;
import io.sessionflow.model.LocalModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.run.RunTurns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextKindTest {

    @Test
    void shouldExtractWithTheComponentsSessionContextModelAndOtherwiseItsOwn() {
        List<String> asked = new ArrayList<>();
        ModelCatalog models = spec -> {
            asked.add(spec);
            return new LocalModel();
        };
        ContextKind kind = new ContextKind(models, 1);
        List<RunTurns> runs = List.of(new RunTurns(1, "Help me deploy a Python app", "Step 1: build it."));

        kind.next("s1", component("local"), null, runs, "v", Instant.now());
        kind.next("s1", component(null), null, runs, "v", Instant.now());

        assertThat(asked).containsExactly("local", "openai:gpt-4o");
    }

    private static ComponentDefinition component(String contextModel) {
        return new ComponentDefinition(ComponentType.AGENT, "a", null, "openai:gpt-4o", null, null, false, true, null, null,
                false, false, true, true, null, null, false, null, false, null, null, false, false, null, null, null, contextModel, false);
    }
}
