package io.sessionflow.event;

import java.util.regex.Pattern;

/**
 * The one rule for identifiers (run, session, user, component): printable, bounded, no surprises in URLs or logs.
 *
 * <p>Some ids are derived from others: a team member's run is {@code <run_id>:<member_id>}. So that a
 * derived id is an id too, a run request's own id is held to {@link #MAX_RUN_ID_LENGTH} and a team
 * member's id to {@link #MAX_MEMBER_ID_LENGTH}; together with the separator they make {@link #MAX_LENGTH}.
 */
public final class Ids {

    public static final int MAX_LENGTH = 128;
    /** A run request's id (a UUID, as the gateway makes them, is 36). */
    public static final int MAX_RUN_ID_LENGTH = 64;
    /** An agent named as a team member: its id follows the team run's id and a colon in the member run's id. */
    public static final int MAX_MEMBER_ID_LENGTH = MAX_LENGTH - 1 - MAX_RUN_ID_LENGTH;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@\\-]{1," + MAX_LENGTH + "}");

    private Ids() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String requireId(String id, String field) {
        if (id == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (!isValid(id)) {
            throw new IllegalArgumentException(field + " must be 1-" + MAX_LENGTH + " characters of letters, digits and . _ : @ -");
        }
        return id;
    }

    /** A run request's id: an id of at most {@link #MAX_RUN_ID_LENGTH} characters, so the ids derived from it fit. */
    public static String requireRunId(String id, String field) {
        requireId(id, field);
        if (id.length() > MAX_RUN_ID_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_RUN_ID_LENGTH + " characters, got " + id.length());
        }
        return id;
    }

    /** The id of a workflow step's run: the workflow run's id, {@code :step-}, the step's number (from 1). */
    public static String stepRunId(String workflowRunId, int step) {
        return requireId(workflowRunId + ":step-" + step, "step run id");
    }

    /** The id of a team member's run: the team run's id, a colon, the member's id. */
    public static String memberRunId(String teamRunId, String memberId) {
        return requireId(teamRunId + ":" + memberId, "member run id");
    }
}
