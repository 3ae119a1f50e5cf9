package io.sessionflow.component;

/**
 * A component's user-memory options, with Agno's names (flat in the components file, next to the
 * session flags). Memories are facts about a user, kept across sessions (DESIGN.md section 9).
 *
 * <p>Combinations that would be silently ignored are refused at load with the reason, rather than
 * enabled behind the user's back: a profile or a memory model without extraction does nothing, and
 * the agentic variant (a memory tool the model calls itself) needs tools, which are not built yet.
 * {@code add_memories_to_context} alone is allowed: memories added by hand through the API are then
 * shown to the component although it extracts none.
 *
 * @param updateMemoryOnRun     extract memories from each completed run (asynchronously, per user in order)
 * @param addMemoriesToContext  show the user's memories in the system message; default: on when memories are extracted
 * @param userProfile           keep a structured profile per user, filled by the same extraction
 * @param memoryModel           a separate model spec for extraction; null: the component's model
 * @param memoryLimit           how many of the user's most recently updated memories are shown (default 20)
 * @param enableAgenticMemory   Agno's memory tool; refused until tools exist (issue 16)
 */
public record MemoryOptions(boolean updateMemoryOnRun, Boolean addMemoriesToContext, boolean userProfile, String memoryModel,
                            Integer memoryLimit, boolean enableAgenticMemory) {

    public static final int DEFAULT_MEMORY_LIMIT = 20;
    public static final int MAX_MEMORY_LIMIT = 1000;
    public static final MemoryOptions NONE = new MemoryOptions(false, null, false, null, null, false);

    public MemoryOptions {
        addMemoriesToContext = addMemoriesToContext == null ? updateMemoryOnRun : addMemoriesToContext;
        memoryLimit = memoryLimit == null ? DEFAULT_MEMORY_LIMIT : memoryLimit;
        if (memoryLimit < 1 || memoryLimit > MAX_MEMORY_LIMIT) {
            throw new IllegalArgumentException("memory_limit must be between 1 and " + MAX_MEMORY_LIMIT + ", got " + memoryLimit);
        }
        if (enableAgenticMemory) {
            throw new IllegalArgumentException("enable_agentic_memory needs tools, which are not built yet (issue 16);"
                    + " use update_memory_on_run: true for memories extracted after each run");
        }
        if (userProfile && !updateMemoryOnRun) {
            throw new IllegalArgumentException("user_profile is filled by the extraction after each run: it needs update_memory_on_run: true");
        }
        if (memoryModel != null && !updateMemoryOnRun) {
            throw new IllegalArgumentException("memory_model is the extraction's model: it needs update_memory_on_run: true");
        }
    }

    /** Whether the component's runs are shown the user's memories (and profile). */
    public boolean injectsMemories() {
        return addMemoriesToContext;
    }
}
