package io.sessionflow.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionflow.config.ConfigException;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentRegistryTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private ComponentRegistry loadYaml(String yaml) throws IOException {
        return ComponentRegistry.load(Optional.of(write("components.yaml", yaml)));
    }

    @Test
    void shouldServeBuiltInPersonalAssistant() {
        ComponentRegistry registry = ComponentRegistry.load(Optional.empty());

        ComponentDefinition agent = registry.find(ComponentType.AGENT, "personal-assistant").orElseThrow();
        assertThat(agent.type()).isEqualTo(ComponentType.AGENT);
        assertThat(agent.instructions()).isEqualTo("Users name is {user_name} and age is {age}");
        assertThat(agent.addHistoryToContext()).isFalse();
    }

    @Test
    void shouldServeBuiltInChatWithHistory() {
        ComponentDefinition agent = ComponentRegistry.builtIn().find(ComponentType.AGENT, "chat-with-history").orElseThrow();

        assertThat(agent.addHistoryToContext()).isTrue();
        assertThat(agent.numHistoryRuns()).isEqualTo(3);
    }

    @Test
    void shouldServeBuiltInPersonalTeamAsTeam() {
        ComponentRegistry registry = ComponentRegistry.builtIn();

        ComponentDefinition team = registry.find(ComponentType.TEAM, "personal-team").orElseThrow();
        assertThat(team.type()).isEqualTo(ComponentType.TEAM);
        assertThat(team.members()).isEmpty();
        assertThat(registry.find(ComponentType.AGENT, "personal-team")).isEmpty();
        assertThat(registry.find(ComponentType.TEAM, "personal-assistant")).isEmpty();
    }

    @Test
    void shouldLoadYamlFile() throws IOException {
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: helper
                    description: helps
                    model: openai:gpt-4o-mini
                    instructions: "Hi {user_name}"
                    add_history_to_context: true
                    num_history_messages: 4
                    add_session_state_to_context: true
                    session_state:
                      shopping_list: [milk]
                  - id: other
                teams:
                  - id: crew
                    members: [helper, other]
                """);

        ComponentDefinition helper = registry.find(ComponentType.AGENT, "helper").orElseThrow();
        assertThat(helper.type()).isEqualTo(ComponentType.AGENT);
        assertThat(helper.description()).isEqualTo("helps");
        assertThat(helper.model()).isEqualTo("openai:gpt-4o-mini");
        assertThat(helper.instructions()).isEqualTo("Hi {user_name}");
        assertThat(helper.addHistoryToContext()).isTrue();
        assertThat(helper.numHistoryMessages()).isEqualTo(4);
        assertThat(helper.addSessionStateToContext()).isTrue();
        assertThat(helper.sessionState()).isEqualTo(Json.parseObject("{\"shopping_list\":[\"milk\"]}"));

        ComponentDefinition crew = registry.find(ComponentType.TEAM, "crew").orElseThrow();
        assertThat(crew.type()).isEqualTo(ComponentType.TEAM);
        assertThat(crew.members()).containsExactly("helper", "other");
        assertThat(registry.all(ComponentType.AGENT)).extracting(ComponentDefinition::id).containsExactly("helper", "other");
        // The file replaces the built-ins.
        assertThat(registry.find(ComponentType.AGENT, "personal-assistant")).isEmpty();
    }

    @Test
    void shouldLoadJsonFile() throws IOException {
        Path file = write("components.json", """
                {
                  "agents": [
                    {"id": "json-agent", "instructions": "Age {age}", "add_history_to_context": true, "num_history_runs": 5,
                     "session_state": {"age": 30}}
                  ],
                  "teams": [
                    {"id": "json-team", "members": ["json-agent"], "model": "local"}
                  ]
                }
                """);

        ComponentRegistry registry = ComponentRegistry.load(Optional.of(file));

        ComponentDefinition agent = registry.find(ComponentType.AGENT, "json-agent").orElseThrow();
        assertThat(agent.instructions()).isEqualTo("Age {age}");
        assertThat(agent.addHistoryToContext()).isTrue();
        assertThat(agent.numHistoryRuns()).isEqualTo(5);
        assertThat(agent.sessionState()).isEqualTo(Json.parseObject("{\"age\":30}"));
        ComponentDefinition team = registry.find(ComponentType.TEAM, "json-team").orElseThrow();
        assertThat(team.members()).isEqualTo(List.of("json-agent"));
        assertThat(team.model()).isEqualTo("local");
    }

    @Test
    void shouldRejectUnknownFieldNamingIt() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: helper
                    add_histroy_to_context: true
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("add_histroy_to_context");
    }

    @Test
    void shouldRejectUnknownTopLevelField() {
        assertThatThrownBy(() -> loadYaml("""
                agentz:
                  - id: helper
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agentz");
    }

    @Test
    void shouldRejectBadModelSpec() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: helper
                    model: gpt-4o
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("helper")
                .hasMessageContaining("gpt-4o");
    }

    @Test
    void shouldRejectEmptyOpenAiModelId() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: helper
                    model: "openai:"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("openai:");
    }

    @Test
    void shouldRejectTeamMemberThatIsNotAnAgent() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: helper
                teams:
                  - id: inner
                  - id: crew
                    members: [helper, inner, ghost]
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .hasSize(2)
                        .anySatisfy(p -> assertThat(p).contains("crew").contains("'inner'"))
                        .anySatisfy(p -> assertThat(p).contains("crew").contains("'ghost'")));
    }

    @Test
    void shouldRejectDuplicateId() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: helper
                  - id: helper
                    instructions: again
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("helper")
                .hasMessageContaining("defined twice");
    }

    @Test
    void shouldAllowAgentAndTeamWithTheSameId() throws IOException {
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: same
                teams:
                  - id: same
                """);

        assertThat(registry.find(ComponentType.AGENT, "same")).isPresent();
        assertThat(registry.find(ComponentType.TEAM, "same")).isPresent();
    }

    @Test
    void shouldRejectMissingOrInvalidId() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - instructions: no id
                """))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: "has space"
                """))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRejectMembersOnAnAgent() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: a
                  - id: b
                    members: [a]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("only teams have members");
    }

    @Test
    void shouldRefuseATeamWhoseMemberIdMakesTheMemberRunIdTooLong() {
        String longMember = "m".repeat(Ids.MAX_MEMBER_ID_LENGTH + 1);

        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: %s
                teams:
                  - id: crew
                    members: [%s]
                """.formatted(longMember, longMember)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("components.yaml: team crew names member '" + longMember + "' (64 characters): a member's id must be at most 63");
    }

    @Test
    void shouldLoadATeamWhoseLongestMemberRunIdStillIsAnId() throws IOException {
        String longestMember = "m".repeat(Ids.MAX_MEMBER_ID_LENGTH);
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: %s
                teams:
                  - id: crew
                    members: [%s]
                """.formatted(longestMember, longestMember));

        assertThat(registry.find(ComponentType.TEAM, "crew").orElseThrow().members()).containsExactly(longestMember);
        String longestRunId = "r".repeat(Ids.MAX_RUN_ID_LENGTH);
        assertThat(Ids.isValid(Ids.memberRunId(longestRunId, longestMember))).isTrue();
    }

    @Test
    void shouldDefaultNumHistoryRunsToThree() throws IOException {
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: helper
                """);

        ComponentDefinition helper = registry.find(ComponentType.AGENT, "helper").orElseThrow();
        assertThat(helper.numHistoryRuns()).isEqualTo(3).isEqualTo(ComponentDefinition.DEFAULT_NUM_HISTORY_RUNS);
        assertThat(helper.numHistoryMessages()).isNull();
        // The seed: add_history_to_context=True  # Default
        assertThat(helper.addHistoryToContext()).isTrue();
        assertThat(helper.instructions()).isEmpty();
        assertThat(helper.sessionState()).isEqualTo(Json.object());
    }

    @Test
    void shouldKeepTheBuiltInExamplesWithoutHistoryExplicitly() {
        ComponentRegistry registry = ComponentRegistry.builtIn();

        for (String id : List.of("personal-assistant", "stateful-assistant", "deploy-planner")) {
            assertThat(registry.find(ComponentType.AGENT, id).orElseThrow().addHistoryToContext()).as(id).isFalse();
        }
        assertThat(registry.find(ComponentType.TEAM, "personal-team").orElseThrow().addHistoryToContext()).isFalse();
    }

    @Test
    void shouldGiveSummariesAndContextTheirOwnModelsDefaultingToTheComponents() throws IOException {
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: thrifty
                    model: openai:gpt-4o
                    summary_model: openai:gpt-4o-mini
                    session_context_model: local
                    enable_session_summaries: true
                    session_context: true
                  - id: plain
                    model: openai:gpt-4o
                    enable_session_summaries: true
                """);

        ComponentDefinition thrifty = registry.find(ComponentType.AGENT, "thrifty").orElseThrow();
        assertThat(thrifty.summaryModelSpec()).isEqualTo("openai:gpt-4o-mini");
        assertThat(thrifty.sessionContextModelSpec()).isEqualTo("local");
        ComponentDefinition plain = registry.find(ComponentType.AGENT, "plain").orElseThrow();
        assertThat(plain.summaryModelSpec()).isEqualTo("openai:gpt-4o");
        assertThat(plain.sessionContextModelSpec()).isEqualTo("openai:gpt-4o");
    }

    @Test
    void shouldEnableWhatASummaryInContextOrPlanningImplies() throws IOException {
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: reads-summary
                    add_session_summary_to_context: true
                  - id: plans
                    enable_planning: true
                """);

        ComponentDefinition readsSummary = registry.find(ComponentType.AGENT, "reads-summary").orElseThrow();
        assertThat(readsSummary.enableSessionSummaries()).isTrue();
        ComponentDefinition plans = registry.find(ComponentType.AGENT, "plans").orElseThrow();
        assertThat(plans.sessionContext()).isTrue();
        assertThat(plans.enablePlanning()).isTrue();
    }

    @Test
    void shouldRefuseModelsAndOptionsForWorkTheComponentNeverAsksFor() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: idle-summary-model
                    summary_model: local
                  - id: idle-context-model
                    session_context_model: local
                  - id: bad-model
                    enable_session_summaries: true
                    summary_model: gpt-4o
                  - id: nothing-to-replace
                    history_after_summary: true
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("idle-summary-model: summary_model is set but summaries are not enabled")
                .hasMessageContaining("idle-context-model: session_context_model is set but session_context is not enabled")
                .hasMessageContaining("bad-model: summary_model must be 'local' or 'openai:<model id>', got 'gpt-4o'")
                .hasMessageContaining("nothing-to-replace: history_after_summary needs add_session_summary_to_context");
    }

    @Test
    void shouldReportUnreadableFileAsConfigException() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> ComponentRegistry.load(Optional.of(missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.yaml");
    }

    @Test
    void shouldLoadAgenticStateAndHttpToolsWithALimit() throws IOException {
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: shopper
                    enable_agentic_state: true
                    tool_call_limit: 3
                    tools:
                      - name: charge_card
                        description: Charges the card
                        url: https://payments.example.com/charge
                        parameters:
                          type: object
                          properties:
                            cents: {type: integer}
                """);

        ComponentDefinition shopper = registry.find(io.sessionflow.event.ComponentType.AGENT, "shopper").orElseThrow();
        assertThat(shopper.enableAgenticState()).isTrue();
        assertThat(shopper.toolCallLimit()).isEqualTo(3);
        assertThat(shopper.tools()).extracting(ToolDefinition::name).containsExactly("charge_card");
        assertThat(shopper.tools().get(0).parameters().path("properties").path("cents").path("type").asText()).isEqualTo("integer");
    }

    @Test
    void shouldRejectAMistypedToolFieldNamingTheComponent() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: first
                  - id: payer
                    tools:
                      - name: charge_card
                        url: https://payments.example.com/charge
                        requires_confirmaton: true
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent payer")
                .hasMessageContaining("requires_confirmaton");
    }

    @Test
    void shouldRejectABadToolNamingTheComponent() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: payer
                    tools:
                      - name: charge card
                        url: https://payments.example.com/charge
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent payer")
                .hasMessageContaining("charge card");
    }

    @Test
    void shouldAcceptExternalToolsAndToolsThatNeedApproval() throws IOException {
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: payer
                    tools:
                      - name: ask_human
                      - name: charge_card
                        url: https://payments.example.com/charge
                        requires_confirmation: true
                """);

        ComponentDefinition payer = registry.find(ComponentType.AGENT, "payer").orElseThrow();
        assertThat(payer.tools()).extracting(ToolDefinition::isHttp).containsExactly(false, true);
        assertThat(payer.tools().get(1).requiresConfirmation()).isTrue();
    }

    @Test
    void shouldRejectApprovalOfAnExternalToolWhoseCallerDecidesAlready() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: payer
                    tools:
                      - name: ask_human
                        requires_confirmation: true
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("payer")
                .hasMessageContaining("requires_confirmation has nothing to approve");
    }

    @Test
    void shouldLoadAWorkflowWhoseStepsAreAgentsAndTeamsInOrder() throws IOException {
        ComponentRegistry registry = loadYaml("""
                agents:
                  - id: researcher
                  - id: writer
                teams:
                  - id: desk
                    members: [writer]
                workflows:
                  - id: research-and-write
                    session_state: {topic: tides}
                    steps:
                      - name: research
                        agent: researcher
                      - team: desk
                      - agent: writer
                """);
        WorkflowDefinition workflow = registry.workflow("research-and-write").orElseThrow();
        assertThat(workflow.steps()).extracting(WorkflowDefinition.Step::type)
                .containsExactly(ComponentType.AGENT, ComponentType.TEAM, ComponentType.AGENT);
        assertThat(workflow.steps()).extracting(WorkflowDefinition.Step::displayName).containsExactly("research", "desk", "writer");
        ComponentDefinition asComponent = registry.find(ComponentType.WORKFLOW, "research-and-write").orElseThrow();
        assertThat(asComponent.sessionState()).isEqualTo(Json.parse("{\"topic\": \"tides\"}"));
        assertThat(asComponent.addHistoryToContext()).isFalse();
    }

    @Test
    void shouldServeTheBuiltInResearchAndWriteWorkflow() {
        assertThat(ComponentRegistry.builtIn().workflow("research-and-write").orElseThrow().steps())
                .extracting(WorkflowDefinition.Step::componentId).containsExactly("researcher", "writer");
    }

    @Test
    void shouldRefuseWorkflowsWithUnknownEmptyOrNestedStepsGivingEachReason() {
        assertThatThrownBy(() -> loadYaml("""
                agents:
                  - id: researcher
                workflows:
                  - id: unknown-step
                    steps:
                      - agent: researcher
                      - agent: ghost
                      - team: researcher
                  - id: no-steps
                    steps: []
                  - id: nested
                    steps:
                      - workflow: unknown-step
                  - id: both
                    steps:
                      - agent: researcher
                        team: researcher
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().stream()
                        .map(problem -> problem.substring(problem.indexOf("components.yaml"))).toList()).containsExactlyInAnyOrder(
                        "components.yaml: workflow unknown-step: step 2 names agent 'ghost', which is not a defined agent",
                        "components.yaml: workflow unknown-step: step 3 names team 'researcher', which is not a defined team",
                        "components.yaml: workflow no-steps: a workflow needs at least one step (steps: [{agent: ...}, {team: ...}])",
                        "components.yaml: workflow nested: step 1 names workflow 'unknown-step': a step is an agent or a team; workflows do not nest",
                        "components.yaml: workflow both: step 1 must name exactly one of agent and team"));
    }

    @Test
    void shouldRefuseAWorkflowWithoutSteps() {
        assertThatThrownBy(() -> loadYaml("""
                workflows:
                  - id: empty
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("workflow empty: a workflow needs at least one step");
    }
}
