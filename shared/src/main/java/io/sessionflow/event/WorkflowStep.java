package io.sessionflow.event;

/**
 * Marks a run request as one step of a workflow run: the run is a child of {@code workflowRunId},
 * in the workflow's session, and its outcome decides what the workflow does next.
 *
 * @param step the step's number, from 1
 */
public record WorkflowStep(String workflowId, String workflowRunId, int step) {

    public WorkflowStep {
        Ids.requireId(workflowId, "workflow_step.workflow_id");
        Ids.requireRunId(workflowRunId, "workflow_step.workflow_run_id");
        if (step < 1) {
            throw new IllegalArgumentException("workflow_step.step must be >= 1, got " + step);
        }
    }

    /** The id the step's run has: {@code <workflow run>:step-<n>}. */
    public String runId() {
        return Ids.stepRunId(workflowRunId, step);
    }
}
