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
 * @param numHistoryRuns     how many completed top-level runs of history (default 3)
 * @param numHistoryMessages when set, a message count instead of a run count
 * @param sessionContext     keep a session-context snapshot and add it to the context
 * @param members            agent ids of a team's members (teams only)
 * @param webhookUrl         where each finished run of this component is POSTed (a run may name its own)
 * @param updateMemoryOnRun  and the five after it: the user-memory options, with Agno's names; see {@link MemoryOptions}
 */
public record ComponentDefinition(
        ComponentType type,
        String id,
        String description,
        String model,
        String instructions,
        ObjectNode sessionState,
        boolean addSessionStateToContext,
        boolean addHistoryToContext,
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
        boolean enableAgenticMemory) {

    public static final int DEFAULT_NUM_HISTORY_RUNS = 3;

    /** A component without a webhook. */
    public ComponentDefinition(ComponentType type, String id, String description, String model, String instructions, ObjectNode sessionState,
                               boolean addSessionStateToContext, boolean addHistoryToContext, Integer numHistoryRuns, Integer numHistoryMessages,
                               boolean enableSessionSummaries, boolean addSessionSummaryToContext, boolean sessionContext, boolean enablePlanning,
                               List<String> members) {
        this(type, id, description, model, instructions, sessionState, addSessionStateToContext, addHistoryToContext, numHistoryRuns,
                numHistoryMessages, enableSessionSummaries, addSessionSummaryToContext, sessionContext, enablePlanning, members, null);
    }

    /** A component without user memories. */
    public ComponentDefinition(ComponentType type, String id, String description, String model, String instructions, ObjectNode sessionState,
                               boolean addSessionStateToContext, boolean addHistoryToContext, Integer numHistoryRuns, Integer numHistoryMessages,
                               boolean enableSessionSummaries, boolean addSessionSummaryToContext, boolean sessionContext, boolean enablePlanning,
                               List<String> members, String webhookUrl) {
        this(type, id, description, model, instructions, sessionState, addSessionStateToContext, addHistoryToContext, numHistoryRuns,
                numHistoryMessages, enableSessionSummaries, addSessionSummaryToContext, sessionContext, enablePlanning, members, webhookUrl,
                false, null, false, null, null, false);
    }

    public ComponentDefinition {
        Ids.requireId(id, "id");
        instructions = instructions == null ? "" : instructions;
        description = description == null ? "" : description;
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
    }

    ComponentDefinition withType(ComponentType newType) {
        return new ComponentDefinition(newType, id, description, model, instructions, sessionState, addSessionStateToContext,
                addHistoryToContext, numHistoryRuns, numHistoryMessages, enableSessionSummaries, addSessionSummaryToContext,
                sessionContext, enablePlanning, members, webhookUrl,
                updateMemoryOnRun, addMemoriesToContext, userProfile, memoryModel, memoryLimit, enableAgenticMemory);
    }

    /** The user-memory options together. */
    public MemoryOptions memory() {
        return new MemoryOptions(updateMemoryOnRun, addMemoriesToContext, userProfile, memoryModel, memoryLimit, enableAgenticMemory);
    }

    /** The default state as a fresh copy: callers may change it freely. */
    @Override
    public ObjectNode sessionState() {
        return sessionState.deepCopy();
    }
}
