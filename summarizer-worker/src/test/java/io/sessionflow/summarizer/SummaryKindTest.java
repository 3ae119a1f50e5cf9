package io.sessionflow.summarizer;

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

class SummaryKindTest {

    @Test
    void shouldSummarizeWithTheComponentsSummaryModelAndOtherwiseItsOwn() {
        List<String> asked = new ArrayList<>();
        ModelCatalog models = spec -> {
            asked.add(spec);
            return new LocalModel();
        };
        SummaryKind kind = new SummaryKind(models, 1);
        List<RunTurns> runs = List.of(new RunTurns(1, "I am planning a trip to Japan", "Lovely, when?"));

        kind.next("s1", component("openai:gpt-4o-mini"), null, runs, "v", Instant.now());
        kind.next("s1", component(null), null, runs, "v", Instant.now());

        assertThat(asked).containsExactly("openai:gpt-4o-mini", "openai:gpt-4o");
    }

    private static ComponentDefinition component(String summaryModel) {
        return new ComponentDefinition(ComponentType.AGENT, "a", null, "openai:gpt-4o", null, null, false, true, null, null,
                true, true, false, false, null, null, false, null, false, null, null, false, false, null, null, summaryModel, null, false);
    }
}
