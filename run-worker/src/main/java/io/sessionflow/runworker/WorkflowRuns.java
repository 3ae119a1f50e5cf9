package io.sessionflow.runworker;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.component.WorkflowDefinition;
import io.sessionflow.event.RunFailed;
import io.sessionflow.event.RunMetrics;
import io.sessionflow.event.RunRequested;
import io.sessionflow.event.WorkflowStep;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.runworker.store.RunStarts;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStatus;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a workflow run through its steps, one run request at a time. The workflow run itself calls
 * no model: starting it stores it as running and asks for its first step; each step is an ordinary
 * agent or team run on {@code runs.requested}, a child of the workflow run, in the workflow's session
 * (so it is executed in the session's order and commits the session's state, which the next step
 * reads); when a step finishes, its answer becomes the next step's message, and the last step's answer
 * completes the workflow run. A failed or cancelled step ends the workflow run the same way.
 *
 * <p>Knows nothing of Kafka: it says what to publish ({@link Advance}). Every decision is made from
 * Postgres and step ids are derived from the workflow run's, so a redelivered request repeats at most
 * the publishing of a step whose run then finds itself finished, and never a model call.
 */
final class WorkflowRuns {

    private static final Logger log = LoggerFactory.getLogger(WorkflowRuns.class);

    /** What to do after a workflow run started or one of its steps finished. */
    sealed interface Advance {
    }

    /** Publish this step's run request. */
    record Publish(RunRequested step) implements Advance {
    }

    /** The workflow run is finished: announce its outcome. */
    record Finish(RunOutcome outcome) implements Advance {
    }

    /** Nothing: the workflow run is gone with its session. */
    record Nothing() implements Advance {
    }

    private final Database database;
    private final ComponentRegistry components;
    private final RunStarts starts;
    private final RunEventSink events;
    private final Clock clock;
    private final RunStore runs = new RunStore();
    private final SessionStore sessions = new SessionStore();

    WorkflowRuns(Database database, ComponentRegistry components, RunStarts starts, RunEventSink events, Clock clock) {
        this.database = database;
        this.components = components;
        this.starts = starts;
        this.events = events;
        this.clock = clock;
    }

    /** A workflow run arrived: its session exists and is the workflow's, the run is claimed, and its first step is asked for. */
    Advance start(RunRequested workflowRun) {
        Optional<WorkflowDefinition> workflow = components.workflow(workflowRun.componentId());
        if (workflow.isEmpty()) {
            return fail(workflowRun.runId(), RunStatus.FAILED, "unknown workflow '" + workflowRun.componentId() + "'");
        }
        RunStarts.Started started = starts.start(new RunStarts.Start(workflowRun, workflow.get().sessionState(), 0, false, false));
        if (started instanceof RunStarts.Refused refused) {
            return fail(workflowRun.runId(), RunStatus.FAILED, refused.reason().getMessage());
        }
        if (started instanceof RunStarts.SessionDeleted) {
            return new Finish(new RunOutcome.Failed(RunFailed.of(workflowRun, RunStatus.CANCELLED.wireName(),
                    "session " + workflowRun.sessionId() + " was deleted", clock.instant())));
        }
        if (started instanceof RunStarts.AlreadyFinished) {
            return stored(workflowRun.runId());
        }
        if (started instanceof RunStarts.Parked || started instanceof RunStarts.StillPaused) {
            return new Nothing(); // a run of the session is paused: this one starts when it is woken
        }
        events.started(workflowRun);
        // The run's state and flags go to the first step, which applies them to the session as any run does.
        return new Publish(step(workflowRun.componentId(), workflowRun.runId(), 1, workflowRun, workflowRun.input().message(),
                workflowRun.sessionState(), workflowRun.overwriteSessionState()));
    }

    /** A step finished (its outcome announced): ask for the next one, or finish the workflow run. */
    Advance afterStep(RunRequested step, RunOutcome outcome) {
        WorkflowStep at = step.workflowStep();
        Optional<RunRecord> parent = database.withConnection(c -> runs.find(c, at.workflowRunId()));
        if (parent.isEmpty()) {
            return new Nothing();
        }
        if (parent.get().status().isFinished()) {
            return new Finish(RunProcessor.outcomeOf(parent.get())); // cancelled meanwhile, or this is a redelivery
        }
        WorkflowDefinition workflow = components.workflow(at.workflowId()).orElse(null);
        if (workflow == null) {
            return fail(at.workflowRunId(), RunStatus.FAILED, "unknown workflow '" + at.workflowId() + "'");
        }
        String name = "step " + at.step() + " (" + step.componentType().wireName() + " " + step.componentId() + ")";
        if (outcome instanceof RunOutcome.Failed failed) {
            RunStatus status = RunStatus.fromWireName(failed.event().status());
            return fail(at.workflowRunId(), status == RunStatus.CANCELLED ? RunStatus.CANCELLED : RunStatus.FAILED,
                    name + " " + status.wireName() + ": " + failed.event().error());
        }
        String answer = ((RunOutcome.Completed) outcome).event().content();
        if (at.step() < workflow.steps().size()) {
            return new Publish(step(at.workflowId(), at.workflowRunId(), at.step() + 1, step, answer, null, false));
        }
        return complete(parent.get(), answer);
    }

    private RunRequested step(String workflowId, String workflowRunId, int number, RunRequested from, String message,
                              com.fasterxml.jackson.databind.node.ObjectNode state, boolean overwrite) {
        WorkflowDefinition.Step definition = components.workflow(workflowId).orElseThrow().steps().get(number - 1);
        WorkflowStep at = new WorkflowStep(workflowId, workflowRunId, number);
        return RunRequested.of(definition.type(), definition.componentId(), from.sessionId(), from.userId(), message)
                .withSessionState(state, overwrite).withOverrides(from.overrides()).withRequestedAt(clock.instant()).asStep(at);
    }

    /**
     * Completes the workflow run with the last step's answer, as the session's next run (numbered after its
     * steps, the state as they left it), in one transaction with the session locked.
     */
    private Advance complete(RunRecord workflowRun, String answer) {
        Optional<RunRecord> done = database.inTransaction(c -> {
            Optional<Session> session = sessions.findForUpdate(c, workflowRun.sessionId());
            if (session.isEmpty() || runs.lockUnfinished(c, List.of(workflowRun.runId())).isEmpty()) {
                return runs.find(c, workflowRun.runId()); // deleted, or finished meanwhile
            }
            Session s = session.get();
            sessions.recordRuns(c, List.of(new SessionStore.RecordedRun(s.sessionId(), s.sessionState(), s.version())));
            List<RunRecord> steps = runs.children(c, workflowRun.runId());
            long inputTokens = 0;
            long outputTokens = 0;
            long modelMs = 0;
            for (RunRecord step : steps) {
                JsonNode m = step.metrics();
                if (m != null) {
                    inputTokens += m.path("input_tokens").asLong();
                    outputTokens += m.path("output_tokens").asLong();
                    modelMs += m.path("model_latency_ms").asLong();
                }
            }
            long total = Duration.between(workflowRun.createdAt(), clock.instant()).toMillis();
            long toStart = workflowRun.startedAt() == null ? 0 : Duration.between(workflowRun.createdAt(), workflowRun.startedAt()).toMillis();
            runs.complete(c, new RunStore.Completion(workflowRun.runId(), s.runCount() + 1, answer,
                    List.of(ChatMessage.user(workflowRun.input().path("message").asText()), ChatMessage.assistant(answer)),
                    "workflow:" + workflowRun.componentId(), new RunMetrics(inputTokens, outputTokens, modelMs, total, toStart, 0)));
            return runs.find(c, workflowRun.runId());
        });
        if (done.isEmpty()) {
            return new Nothing();
        }
        log.info("workflow run {} completed", workflowRun.runId());
        return new Finish(RunProcessor.outcomeOf(done.get()));
    }

    private Advance fail(String workflowRunId, RunStatus status, String error) {
        log.warn("workflow run {} {}: {}", workflowRunId, status.wireName(), error);
        database.withConnection(c -> runs.finishUnsuccessfully(c, workflowRunId, status, error));
        Optional<RunRecord> stored = database.withConnection(c -> runs.find(c, workflowRunId));
        return stored.<Advance>map(run -> new Finish(RunProcessor.outcomeOf(run))).orElseGet(Nothing::new);
    }

    private Advance stored(String workflowRunId) {
        Optional<RunRecord> stored = database.withConnection(c -> runs.find(c, workflowRunId));
        return stored.<Advance>map(run -> new Finish(RunProcessor.outcomeOf(run))).orElseGet(Nothing::new);
    }
}
