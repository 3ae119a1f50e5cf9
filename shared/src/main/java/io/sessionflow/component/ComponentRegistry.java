package io.sessionflow.component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sessionflow.config.ConfigException;
import io.sessionflow.config.ModelSettings;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents, teams and workflows this deployment serves, read from a YAML or JSON file (YAML is a superset of
 * JSON, so one parser reads both). Unknown fields are errors: a misspelt flag must not be ignored.
 */
public final class ComponentRegistry {

    private static final Logger log = LoggerFactory.getLogger(ComponentRegistry.class);
    private static final String BUILT_IN = "builtin-components.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<ComponentType, Map<String, ComponentDefinition>> byType;
    private final Map<String, WorkflowDefinition> workflows = new LinkedHashMap<>();

    private ComponentRegistry(List<ComponentDefinition> definitions, List<WorkflowDefinition> workflowDefinitions) {
        Map<ComponentType, Map<String, ComponentDefinition>> map = new LinkedHashMap<>();
        for (ComponentType type : ComponentType.values()) {
            map.put(type, new LinkedHashMap<>());
        }
        for (ComponentDefinition definition : definitions) {
            map.get(definition.type()).put(definition.id(), definition);
        }
        // A workflow is addressed like a component (its route, its session's type and component id), so it is
        // found as one too, with none of an agent's options; its steps are read with workflow(id).
        for (WorkflowDefinition workflow : workflowDefinitions) {
            workflows.put(workflow.id(), workflow);
            map.get(ComponentType.WORKFLOW).put(workflow.id(), workflow.asComponent());
        }
        this.byType = map;
    }

    /** The built-in examples, or the file's definitions when a path is given. */
    public static ComponentRegistry load(Optional<Path> file) {
        if (file.isEmpty()) {
            return builtIn();
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            return parse(in, file.get().toString());
        } catch (IOException e) {
            throw new ConfigException("SESSIONFLOW_COMPONENTS: cannot read " + file.get() + ": " + e.getMessage());
        }
    }

    public static ComponentRegistry builtIn() {
        try (InputStream in = ComponentRegistry.class.getResourceAsStream("/" + BUILT_IN)) {
            return parse(in, BUILT_IN);
        } catch (IOException e) {
            throw new IllegalStateException("built-in components are missing from the classpath", e);
        }
    }

    static ComponentRegistry parse(InputStream in, String source) {
        ComponentsFile file;
        byte[] text = new byte[0];
        try {
            text = in.readAllBytes();
            file = YAML.readValue(text, ComponentsFile.class);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + where(e, text) + e.getMessage().lines().findFirst().orElse("unreadable"));
        }
        List<ComponentDefinition> all = new ArrayList<>();
        try {
            file.agents().forEach(agent -> all.add(typed(agent, ComponentType.AGENT, source)));
            file.teams().forEach(team -> all.add(typed(team, ComponentType.TEAM, source)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        List<WorkflowDefinition> workflows = new ArrayList<>();
        for (int i = 0; i < file.workflows().size(); i++) {
            WorkflowFile entry = file.workflows().get(i);
            String name = entry == null || entry.id() == null ? "workflow #" + (i + 1) : "workflow " + entry.id();
            try {
                if (entry == null) {
                    throw new IllegalArgumentException("is empty");
                }
                workflows.add(new WorkflowDefinition(entry.id(), entry.description(), entry.sessionState(), entry.steps()));
            } catch (IllegalArgumentException e) {
                // The record's messages start with the id; say it once, with the kind.
                String message = entry != null && entry.id() != null && e.getMessage().startsWith(entry.id() + ": ")
                        ? e.getMessage().substring(entry.id().length() + 2) : e.getMessage();
                problems.add(source + ": " + name + ": " + message);
            }
        }
        validate(all, source, problems);
        validateWorkflows(all, workflows, source, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ComponentRegistry(all, workflows);
    }

    /**
     * Which component a mapping error is in ({@code agent shopper: }), found by its path in the file, so
     * that a mistyped field deep inside (a tool's) names the component; empty when it is not inside one.
     */
    private static String where(IOException e, byte[] text) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) || mapping.getPath().size() < 2) {
            return "";
        }
        var list = mapping.getPath().get(0);
        var entry = mapping.getPath().get(1);
        if (!"agents".equals(list.getFieldName()) && !"teams".equals(list.getFieldName()) || entry.getIndex() < 0) {
            return "";
        }
        String kind = "agents".equals(list.getFieldName()) ? "agent" : "team";
        try {
            // The file is valid YAML (it failed on a field): read it as a tree to find the entry's id.
            String id = YAML.readTree(text).path(list.getFieldName()).path(entry.getIndex()).path("id").asText("");
            if (!id.isEmpty()) {
                return kind + " " + id + ": ";
            }
        } catch (IOException ignored) {
            // the entry's number still says where
        }
        return kind + " #" + (entry.getIndex() + 1) + ": ";
    }

    /** The list a definition is in says what it is; a contradicting {@code type:} is a mistake worth reporting. */
    private static ComponentDefinition typed(ComponentDefinition definition, ComponentType type, String source) {
        if (definition.type() != null && definition.type() != type) {
            throw new ConfigException(source + ": " + definition.id() + " is listed under " + type.wireName()
                    + "s but says type: " + definition.type().wireName());
        }
        return implied(definition.withType(type), source);
    }

    /**
     * Switches on what a component's flags imply, and says so: asking for the summary in the context
     * without enabling summaries would otherwise add nothing, ever (Agno enables summaries when given
     * a summary manager), and planning needs a session context to plan in.
     */
    private static ComponentDefinition implied(ComponentDefinition definition, String source) {
        String key = source + ": " + definition.type().wireName() + " " + definition.id();
        if (definition.addSessionSummaryToContext() && !definition.enableSessionSummaries()) {
            log.info("{}: add_session_summary_to_context implies enable_session_summaries: summaries enabled", key);
        }
        if (definition.enablePlanning() && !definition.sessionContext()) {
            log.info("{}: enable_planning implies session_context: session context enabled", key);
        }
        return definition.withImpliedFlags();
    }

    /** Each step names a defined agent or team; a workflow is defined once. */
    private static void validateWorkflows(List<ComponentDefinition> all, List<WorkflowDefinition> workflows, String source,
                                          List<String> problems) {
        java.util.Set<String> defined = new java.util.HashSet<>();
        for (ComponentDefinition definition : all) {
            defined.add(definition.type().wireName() + " " + definition.id());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (WorkflowDefinition workflow : workflows) {
            if (!seen.add(workflow.id())) {
                problems.add(source + ": workflow " + workflow.id() + " is defined twice");
            }
            for (int i = 0; i < workflow.steps().size(); i++) {
                WorkflowDefinition.Step step = workflow.steps().get(i);
                String kind = step.type().wireName();
                if (!defined.contains(kind + " " + step.componentId())) {
                    problems.add(source + ": workflow " + workflow.id() + ": step " + (i + 1) + " names " + kind + " '"
                            + step.componentId() + "', which is not a defined " + kind);
                }
                // A team step's member runs are <run_id>:step-<n>:<member_id>: refused here rather than failing every run.
                int number = i + 1;
                int room = Ids.MAX_LENGTH - Ids.MAX_RUN_ID_LENGTH - (":step-" + (i + 1) + ":").length();
                for (ComponentDefinition team : all) {
                    if (step.type() == ComponentType.TEAM && team.type() == ComponentType.TEAM && team.id().equals(step.componentId())) {
                        team.members().stream().filter(member -> member.length() > room).forEach(member -> problems.add(source
                                + ": workflow " + workflow.id() + ": step " + number + " is team " + team.id() + ", whose member '"
                                + member + "' has more than " + room + " characters: its run id in the workflow would exceed "
                                + Ids.MAX_LENGTH));
                    }
                }
            }
        }
    }

    private static void validate(List<ComponentDefinition> all, String source, List<String> problems) {
        Map<String, ComponentDefinition> seen = new LinkedHashMap<>();
        for (ComponentDefinition definition : all) {
            String key = definition.type().wireName() + " " + definition.id();
            if (seen.put(key, definition) != null) {
                problems.add(source + ": " + key + " is defined twice");
            }
            checkModel(problems, source + ": " + key + ": model", definition.model());
            checkModel(problems, source + ": " + key + ": summary_model", definition.summaryModel());
            checkModel(problems, source + ": " + key + ": session_context_model", definition.sessionContextModel());
            // A model for work the component never asks for is a mistake to report, not a setting to ignore.
            if (definition.summaryModel() != null && !definition.enableSessionSummaries()) {
                problems.add(source + ": " + key + ": summary_model is set but summaries are not enabled (enable_session_summaries)");
            }
            if (definition.sessionContextModel() != null && !definition.sessionContext()) {
                problems.add(source + ": " + key + ": session_context_model is set but session_context is not enabled");
            }
            if (definition.historyAfterSummary() && !definition.addSessionSummaryToContext()) {
                problems.add(source + ": " + key + ": history_after_summary needs add_session_summary_to_context (the summary stands in for the older runs)");
            }
            String memoryModel = definition.memory().memoryModel();
            if (memoryModel != null && !ModelSettings.isValidSpec(memoryModel)) {
                problems.add(source + ": " + key + ": memory_model must be 'local' or 'openai:<model id>', got '" + memoryModel + "'");
            }
        }
        for (ComponentDefinition definition : all) {
            for (String member : definition.members()) {
                if (!seen.containsKey("agent " + member)) {
                    problems.add(source + ": team " + definition.id() + " names member '" + member + "', which is not a defined agent");
                }
                // A member's run id is <run_id>:<member_id>: refused here, a long member id would fail every run of the team instead.
                if (member.length() > Ids.MAX_MEMBER_ID_LENGTH) {
                    problems.add(source + ": team " + definition.id() + " names member '" + member + "' (" + member.length()
                            + " characters): a member's id must be at most " + Ids.MAX_MEMBER_ID_LENGTH
                            + " characters, so that its run id <run_id>:<member_id> fits in " + Ids.MAX_LENGTH);
                }
            }
        }
    }

    private static void checkModel(List<String> problems, String what, String spec) {
        if (spec != null && !ModelSettings.isValidSpec(spec)) {
            problems.add(what + " must be 'local' or 'openai:<model id>', got '" + spec + "'");
        }
    }

    public Optional<ComponentDefinition> find(ComponentType type, String id) {
        return Optional.ofNullable(byType.get(type).get(id));
    }

    public Collection<ComponentDefinition> all(ComponentType type) {
        return byType.get(type).values();
    }

    /** A workflow with its steps. */
    public Optional<WorkflowDefinition> workflow(String id) {
        return Optional.ofNullable(workflows.get(id));
    }

    private record ComponentsFile(List<ComponentDefinition> agents, List<ComponentDefinition> teams, List<WorkflowFile> workflows) {
        ComponentsFile {
            agents = agents == null ? List.of() : agents;
            teams = teams == null ? List.of() : teams;
            workflows = workflows == null ? List.of() : workflows;
        }
    }

    /** A workflow as written, checked when made into a {@link WorkflowDefinition} so that every problem is reported together. */
    private record WorkflowFile(String id, String description, com.fasterxml.jackson.databind.node.ObjectNode sessionState,
                                List<WorkflowDefinition.Step> steps) {
    }
}
