package io.sessionflow.component;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.json.Json;
import java.util.List;

/**
 * An agent or a team as configured: its model, its instructions and the session flags of DESIGN.md
 * section 5. Omitted flags take Agno's defaults.
 *
 * @param model              a model spec ({@code local} or {@code openai:<id>}); null means the configured default
 * @param sessionState       the default state, copied in only when a session is created
 * @param addHistoryToContext send the latest runs as history; null (omitted) means true, Agno's default
 * @param numHistoryRuns     how many completed top-level runs of history (default 3)
 * @param numHistoryMessages when set, a message count instead of a run count
 * @param sessionContext     keep a session-context snapshot and add it to the context
 * @param members            agent ids of a team's members (teams only)
 * @param webhookUrl         where each finished run of this component is POSTed (a run may name its own)
 * @param updateMemoryOnRun  and the five after it: the user-memory options, with Agno's names; see {@link MemoryOptions}
 * @param enableAgenticState the model gets the built-in {@code update_session_state} tool (Agno's agentic state)
 * @param tools              the HTTP and external tools the model may call
 * @param toolCallLimit      the most tool calls one run executes (default {@value #DEFAULT_TOOL_CALL_LIMIT})
 * @param summaryModel       the model the summarizer uses for this component (Agno's SessionSummaryManager(model=...));
 *                           null means the component's model
 * @param sessionContextModel the model the context worker uses for this component; null means the component's model
 * @param historyAfterSummary with a summary in the context, send as history only the runs the summary does not cover
 *                           (after its up_to_run_index), still at most the history window: the summary stands in
 *                           for the older runs, as the seed says it does
 */
public record ComponentDefinition(
        ComponentType type,
        String id,
        String description,
        String model,
        String instructions,
        ObjectNode sessionState,
        boolean addSessionStateToContext,
        Boolean addHistoryToContext,
        Integer numHistoryRuns,
        Integer numHistoryMessages,
        boolean enableSessionSummaries,
        boolean addSessionSummaryToContext,
        boolean sessionContext,
        boolean enablePlanning,
        List<String> members,
        String webhookUrl,
        // Flat rather than one nested record: Jackson's @JsonUnwrapped would switch off the refusal of unknown fields.
        boolean updateMemoryOnRun,
        Boolean addMemoriesToContext,
        boolean userProfile,
        String memoryModel,
        Integer memoryLimit,
        boolean enableAgenticMemory,
        boolean enableAgenticState,
        List<ToolDefinition> tools,
        Integer toolCallLimit,
        String summaryModel,
        String sessionContextModel,
        boolean historyAfterSummary) {

    public static final int DEFAULT_NUM_HISTORY_RUNS = 3;
    /** A bound on a model that keeps calling tools; Agno has none by default, a pipeline needs one. */
    public static final int DEFAULT_TOOL_CALL_LIMIT = 20;
    /** Agno's agentic-state tool: a shallow set of top-level keys of the run's session state. */
    public static final String UPDATE_SESSION_STATE = "update_session_state";

    /** A component without a webhook. */
    public ComponentDefinition(ComponentType type, String id, String description, String model, String instructions, ObjectNode sessionState,
                               boolean addSessionStateToContext, boolean addHistoryToContext, Integer numHistoryRuns, Integer numHistoryMessages,
                               boolean enableSessionSummaries, boolean addSessionSummaryToContext, boolean sessionContext, boolean enablePlanning,
                               List<String> members) {
        this(type, id, description, model, instructions, sessionState, addSessionStateToContext, addHistoryToContext, numHistoryRuns,
                numHistoryMessages, enableSessionSummaries, addSessionSummaryToContext, sessionContext, enablePlanning, members, null);
    }

    /** A component without user memories or tools, whose summaries and context use its own model, with the whole history window. */
    public ComponentDefinition(ComponentType type, String id, String description, String model, String instructions, ObjectNode sessionState,
                               boolean addSessionStateToContext, boolean addHistoryToContext, Integer numHistoryRuns, Integer numHistoryMessages,
                               boolean enableSessionSummaries, boolean addSessionSummaryToContext, boolean sessionContext, boolean enablePlanning,
                               List<String> members, String webhookUrl) {
        this(type, id, description, model, instructions, sessionState, addSessionStateToContext, addHistoryToContext, numHistoryRuns,
                numHistoryMessages, enableSessionSummaries, addSessionSummaryToContext, sessionContext, enablePlanning, members, webhookUrl,
                false, null, false, null, null, false, false, null, null, null, null, false);
    }

    public ComponentDefinition {
        Ids.requireId(id, "id");
        instructions = instructions == null ? "" : instructions;
        description = description == null ? "" : description;
        addHistoryToContext = addHistoryToContext == null || addHistoryToContext;
        sessionState = sessionState == null ? Json.object() : sessionState.deepCopy();
        numHistoryRuns = numHistoryRuns == null ? DEFAULT_NUM_HISTORY_RUNS : numHistoryRuns;
        if (numHistoryRuns < 0) {
            throw new IllegalArgumentException(id + ": num_history_runs must be >= 0");
        }
        if (numHistoryMessages != null && numHistoryMessages < 0) {
            throw new IllegalArgumentException(id + ": num_history_messages must be >= 0");
        }
        members = members == null ? List.of() : List.copyOf(members);
        MemoryOptions memory;
        try {
            memory = new MemoryOptions(updateMemoryOnRun, addMemoriesToContext, userProfile, memoryModel, memoryLimit, enableAgenticMemory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
        }
        addMemoriesToContext = memory.addMemoriesToContext();
        memoryLimit = memory.memoryLimit();
        if (type == ComponentType.AGENT && !members.isEmpty()) {
            throw new IllegalArgumentException(id + ": only teams have members");
        }
        tools = tools == null ? List.of() : List.copyOf(tools);
        toolCallLimit = toolCallLimit == null ? DEFAULT_TOOL_CALL_LIMIT : toolCallLimit;
        if (toolCallLimit < 1) {
            throw new IllegalArgumentException(id + ": tool_call_limit must be >= 1");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ToolDefinition tool : tools) {
            if (tool == null) {
                throw new IllegalArgumentException(id + ": an entry of tools is empty");
            }
            if (UPDATE_SESSION_STATE.equals(tool.name())) {
                throw new IllegalArgumentException(id + ": tool " + UPDATE_SESSION_STATE + " is built in (enable_agentic_state: true)");
            }
            if (!names.add(tool.name())) {
                throw new IllegalArgumentException(id + ": tool " + tool.name() + " is defined twice");
            }
            // An external tool's call pauses the run until its caller sends the result, which is the caller's decision already.
            if (!tool.isHttp() && tool.requiresConfirmation()) {
                throw new IllegalArgumentException(id + ": tool " + tool.name() + " has no url (an external tool: its caller sends the result), "
                        + "so requires_confirmation has nothing to approve; it applies to HTTP tools");
            }
        }
    }

    ComponentDefinition withType(ComponentType newType) {
        return new ComponentDefinition(newType, id, description, model, instructions, sessionState, addSessionStateToContext,
                addHistoryToContext, numHistoryRuns, numHistoryMessages, enableSessionSummaries, addSessionSummaryToContext,
                sessionContext, enablePlanning, members, webhookUrl,
                updateMemoryOnRun, addMemoriesToContext, userProfile, memoryModel, memoryLimit, enableAgenticMemory,
                enableAgenticState, tools, toolCallLimit, summaryModel, sessionContextModel, historyAfterSummary);
    }

    /** The user-memory options together. */
    public MemoryOptions memory() {
        return new MemoryOptions(updateMemoryOnRun, addMemoriesToContext, userProfile, memoryModel, memoryLimit, enableAgenticMemory);
    }

    /**
     * This component with what its flags imply switched on, as Agno does (a summary manager given
     * enables summaries): a summary asked for in the context is kept, and planning keeps a session
     * context. {@link ComponentRegistry} logs each change it makes this way.
     */
    ComponentDefinition withImpliedFlags() {
        boolean summaries = enableSessionSummaries || addSessionSummaryToContext;
        boolean context = sessionContext || enablePlanning;
        return new ComponentDefinition(type, id, description, model, instructions, sessionState, addSessionStateToContext,
                addHistoryToContext, numHistoryRuns, numHistoryMessages, summaries, addSessionSummaryToContext,
                context, enablePlanning, members, webhookUrl, updateMemoryOnRun, addMemoriesToContext, userProfile, memoryModel,
                memoryLimit, enableAgenticMemory, enableAgenticState, tools, toolCallLimit, summaryModel, sessionContextModel,
                historyAfterSummary);
    }

    /** The model the summarizer uses for this component. */
    public String summaryModelSpec() {
        return summaryModel != null ? summaryModel : model;
    }

    /** The model the context worker uses for this component. */
    public String sessionContextModelSpec() {
        return sessionContextModel != null ? sessionContextModel : model;
    }

    /** The default state as a fresh copy: callers may change it freely. */
    @Override
    public ObjectNode sessionState() {
        return sessionState.deepCopy();
    }
}
