package io.sessionflow.runworker;

import io.sessionflow.OperationInterruptedException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunFailed;
import io.sessionflow.event.RunMetrics;
import io.sessionflow.event.RunContinuation;
import io.sessionflow.event.RunPaused;
import io.sessionflow.event.RunRequested;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.model.ModelException;
import io.sessionflow.model.ModelReply;
import io.sessionflow.model.ToolCall;
import io.sessionflow.event.ComponentType;
import io.sessionflow.runworker.store.MemberAnswer;
import io.sessionflow.runworker.store.RunCommits;
import io.sessionflow.runworker.store.RunStarts;
import io.sessionflow.runworker.store.ToolCallLog;
import io.sessionflow.runworker.tool.ToolExecutor;
import io.sessionflow.runworker.tool.ToolLoop;
import io.sessionflow.runworker.tool.ToolSettings;
import io.sessionflow.run.Backoff;
import io.sessionflow.session.SessionState;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStatus;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.run.PausedRuns;
import io.sessionflow.runworker.store.SessionQueue;
import io.sessionflow.store.session.Session;
import io.sessionflow.runworker.store.SessionMemory;
import io.sessionflow.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one run request into a committed run and the event that announces it. Knows nothing of
 * Kafka: the consumer loop hands it a parsed request and publishes what it returns.
 *
 * <p>Idempotent: a request whose run is already finished is not executed again; its outcome is
 * returned from Postgres so the event can be re-emitted. Transient model and database failures are
 * retried with bounded backoff; after the last try the run is stored as failed and the session
 * state is left as it was.
 */
public final class RunProcessor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunProcessor.class);

    private final Database database;
    private final ComponentRegistry components;
    private final ModelCatalog models;
    private final Backoff backoff;
    private final Clock clock;
    private final RunStore runs = new RunStore();
    private final TeamMembers teamMembers;
    private final RunStarts starts;
    private final RunCommits commits;
    private final ModelInvoker invoker;
    private final Duration runTimeout;
    private final RunEventSink events;
    private final ToolLoop toolLoop;
    private final WorkflowRuns workflows;
    private final PausedRuns pausedRuns = new PausedRuns();
    private final SessionQueue queue = new SessionQueue();
    private final Duration pauseTimeout;
    private final PauseSweeper sweeper;

    /** @param events where runs' progress is published as it happens ({@link RunEventSink#NONE} for nowhere) */
    public RunProcessor(Database database, ComponentRegistry components, ModelCatalog models, RunWorkerSettings settings,
                        RunEventSink events, MeterRegistry registry, Clock clock) {
        this.database = Objects.requireNonNull(database, "null database");
        this.components = Objects.requireNonNull(components, "null components");
        this.models = Objects.requireNonNull(models, "null models");
        this.backoff = settings.backoff();
        this.clock = Objects.requireNonNull(clock, "null clock");
        this.events = Objects.requireNonNull(events, "null event sink");
        this.runTimeout = settings.runTimeout();
        this.pauseTimeout = settings.pauseTimeout();
        this.sweeper = new PauseSweeper(database, events);
        this.invoker = new ModelInvoker(database, clock);
        RunMeters.modelCallsInFlight(registry, invoker::callsInFlight);
        this.teamMembers = new TeamMembers(components, models);
        this.starts = new RunStarts(database, settings.dbWriters(), settings.maxBatch(), RunMeters.batchSizes(registry, "start"));
        this.commits = new RunCommits(database, settings.dbWriters(), settings.maxBatch(), RunMeters.batchSizes(registry, "commit"));
        ToolSettings tools = settings.tools() == null ? new ToolSettings(null, null, null) : settings.tools();
        for (ComponentType type : ComponentType.values()) {
            for (ComponentDefinition definition : components.all(type)) {
                if (definition.tools().stream().anyMatch(io.sessionflow.component.ToolDefinition::isHttp) && tools.secret() == null) {
                    // Not fatal: the other components work; each call of an unsigned tool fails, saying why.
                    log.warn("{} {} has HTTP tools but no secret signs their calls: set SESSIONFLOW_TOOL_SECRET (or "
                            + "SESSIONFLOW_WEBHOOK_SECRET); until then its tool calls fail", type.wireName(), definition.id());
                }
            }
        }
        this.toolLoop = new ToolLoop(new ToolCallLog(database), new ToolExecutor(tools));
        this.workflows = new WorkflowRuns(database, components, starts, events, clock);
    }

    /** What drives workflow runs through their steps (the steps themselves are processed here, as any run). */
    WorkflowRuns workflows() {
        return workflows;
    }

    /** Fails timed-out pauses and re-sends lost resumes and wake-ups ({@link PauseSweeper}); run it every second or so. */
    public void sweepPauses() {
        sweeper.sweep();
    }

    /**
     * Takes the answers to a paused run (from {@code runs.continuations}) and sends the run through its
     * session's lane, where it resumes. @throws ContinuationRefusedException when they do not fit the run
     */
    public void continueRun(RunContinuation continuation) {
        RunRequested request = database.inTransaction(c -> pausedRuns.continueRun(c, continuation.runId(), continuation.sessionId(),
                continuation.toolResults(), continuation.approvals()));
        log.info("run {} answered; resuming it in its session's lane", request.runId());
        events.resend(request);
    }

    @Override
    public void close() {
        starts.close();
        commits.close();
        invoker.close();
    }

    public RunOutcome process(RunRequested request) {
        if (request.componentType() == ComponentType.WORKFLOW) {
            throw new IllegalArgumentException("a workflow run is started with workflows().start, not processed as a model run");
        }
        Optional<ComponentDefinition> component = components.find(request.componentType(), request.componentId());
        if (component.isEmpty()) {
            return fail(request, "unknown " + request.componentType().wireName() + " '" + request.componentId() + "'");
        }
        Instant deadline = clock.instant().plus(runTimeout);
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) {
                Optional<RunRecord> now = database.withConnection(c -> runs.find(c, request.runId()));
                if (now.isPresent() && now.get().status().isFinished()) {
                    return outcomeOf(now.get()); // cancelled while backing off
                }
            }
            Attempt tried = attempt(request, component.get(), deadline);
            if (tried instanceof Attempt.Ended ended) {
                return ended.outcome();
            }
            if (tried instanceof Attempt.Fails fails) {
                return fail(request, fails.error());
            }
            if (tried instanceof Attempt.EndedElsewhere) {
                return endedElsewhere(request);
            }
            Attempt.Erred erred = (Attempt.Erred) tried;
            // A database outage (a restart, a failover) is waited out within the run's time budget;
            // the model and fencing get a fixed number of tries.
            if (!erred.isTransient() || (!erred.outage() && attempt >= backoff.maxAttempts())) {
                return fail(request, erred.error() + (attempt > 1 ? " (after " + attempt + " attempts)" : ""));
            }
            Duration pause = backoff.delayAfter(attempt);
            if (erred.retryAfter().isPresent() && erred.retryAfter().get().compareTo(pause) > 0) {
                pause = erred.retryAfter().get(); // the provider said how long to wait
            }
            if (clock.instant().plus(pause).isAfter(deadline)) {
                return fail(request, "timed out after " + runTimeout.toSeconds() + " s; last error: " + erred.error());
            }
            log.warn("run {} attempt {} of {} failed, retrying in {} ms: {}", request.runId(), attempt, backoff.maxAttempts(),
                    pause.toMillis(), erred.error());
            events.retrying(request, erred.error());
            sleep(pause);
        }
    }

    /** How one attempt at a run ended. Only an error may lead to another attempt. */
    private sealed interface Attempt {

        /** The run's outcome is decided: completed, paused, parked, or ended with its deleted session. */
        record Ended(RunOutcome outcome) implements Attempt {
        }

        /** The run was already finished when this attempt began, or was cancelled or finished by another worker meanwhile: its stored outcome stands. */
        record EndedElsewhere() implements Attempt {
        }

        /** The run fails whatever tries are left: its session is not the requester's, or its time is spent. */
        record Fails(String error) implements Attempt {
        }

        /**
         * A model or database error, or a session that moved on under the run (its commit was fenced
         * off): another attempt may get past it where it is transient.
         */
        record Erred(String error, boolean isTransient, boolean outage, Optional<Duration> retryAfter) implements Attempt {
        }
    }

    /** One attempt. The model and the database report their errors by throwing; they end the attempt here. */
    private Attempt attempt(RunRequested request, ComponentDefinition component, Instant deadline) {
        try {
            return execute(request, component, deadline);
        } catch (RunCancelledException e) {
            return new Attempt.EndedElsewhere(); // seen by the model call's watchdog
        } catch (RunTimedOutException e) {
            return new Attempt.Fails(e.getMessage());
        } catch (ModelException e) {
            return new Attempt.Erred(describe(e), e.isTransient(), false, e.retryAfter());
        } catch (StoreException e) {
            return new Attempt.Erred(describe(e), e.isTransient(), true, Optional.empty());
        }
    }

    /** The outcome stored by whoever ended the run (a cancel, another worker, the pause sweeper), emitted again. */
    private RunOutcome endedElsewhere(RunRequested request) {
        Optional<RunRecord> found = database.withConnection(c -> runs.find(c, request.runId()));
        if (found.isEmpty()) {
            return sessionDeleted(request); // a claimed run's row goes only with its session
        }
        RunRecord stored = found.get();
        log.info("run {} is already {}; emitting its stored outcome", request.runId(), stored.status().wireName());
        // It may have held its session's queue (a paused run cancelled or timed out): the next parked run goes on.
        releaseQueue(request);
        return outcomeOf(stored);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while backing off", e);
        }
    }

    private Attempt execute(RunRequested request, ComponentDefinition component, Instant deadline) {
        Prompt.Flags flags = Prompt.Flags.of(component, request.overrides());
        // One transaction, shared with other sessions' runs: the session and run exist, the run is
        // claimed (unless it is finished), and everything the run remembers of its session is read.
        RunStarts.Started started = starts.start(new RunStarts.Start(request, component.sessionState(), flags.historyRunsToLoad(),
                component.addSessionSummaryToContext(), component.sessionContext(), component.historyAfterSummary(),
                component.memory().injectsMemories() ? component.memory().memoryLimit() : 0));
        if (started instanceof RunStarts.Refused refused) {
            return new Attempt.Fails(refused.reason().getMessage());
        }
        if (started instanceof RunStarts.AlreadyFinished) {
            return new Attempt.EndedElsewhere();
        }
        if (started instanceof RunStarts.SessionDeleted) {
            return new Attempt.Ended(sessionDeleted(request));
        }
        if (started instanceof RunStarts.Parked) {
            log.info("run {} waits behind a paused run of session {}", request.runId(), request.sessionId());
            return new Attempt.Ended(new RunOutcome.Parked());
        }
        if (started instanceof RunStarts.StillPaused) {
            // Its original request again (a redelivery): it waits for its answers, announced once more.
            return new Attempt.Ended(database.withConnection(c -> pausedRuns.describe(c, request))
                    .<RunOutcome>map(RunOutcome.Paused::new).orElseGet(RunOutcome.Parked::new));
        }
        RunStarts.Claimed loaded = (RunStarts.Claimed) started;
        Session session = loaded.session();
        events.started(request);
        Instant startedAt = clock.instant();
        ObjectNode state = SessionState.apply(session.sessionState(), request.sessionState(), request.overwriteSessionState());
        List<ChatMessage> history = loaded.memory().history();

        List<MemberAnswer> memberAnswers = teamMembers.ask(component, state, request,
                (model, messages) -> invoker.call(model, messages, request.runId(), deadline, runTimeout));
        String instructions = TeamMembers.withMemberAnswers(component.instructions(), memberAnswers);
        List<String> memory = memoryBlocks(loaded.memory());
        if (!loaded.user().isEmpty()) {
            memory.add(Prompt.userMemoriesBlock(loaded.user().memories(), loaded.user().profile().orElse(null)));
        }
        List<ChatMessage> messages = Prompt.build(instructions, flags, state, request.userId(), history,
                request.input().message(), memory);

        ChatModel model = models.forSpec(component.model());
        Instant modelStart = clock.instant();
        // The model, and the tools it calls, until it answers; tools change only `state`, committed with the run below.
        ToolLoop.Result loop = toolLoop.run(component, request.runId(), messages, state,
                (conversation, tools) -> invoker.call(model, conversation, tools, request.runId(), deadline, runTimeout,
                        text -> events.delta(request, text)),
                new ToolLoop.Progress() {
                    @Override
                    public void started(ToolCall call) {
                        events.toolCallStarted(request, call);
                    }

                    @Override
                    public void completed(ToolCall call, String status, String result) {
                        events.toolCallCompleted(request, call, status, result);
                    }
                });
        if (loop.paused()) {
            return pause(request, loop);
        }
        ModelReply reply = loop.answer();
        Instant modelEnd = clock.instant();
        List<ChatMessage> turns = new ArrayList<>();
        turns.add(messages.get(messages.size() - 1));
        turns.addAll(loop.messages());
        // What is stored with the run is measured up to its commit; the event adds the commit's own time.
        // Model latency covers the whole loop, tool calls included.
        RunMetrics metrics = new RunMetrics(loop.inputTokens(), loop.outputTokens(), Duration.between(modelStart, modelEnd).toMillis(),
                Duration.between(request.requestedAt(), modelEnd).toMillis(), Duration.between(request.requestedAt(), startedAt).toMillis(), 0);

        RunCommits.Committed committed = commits.commit(new RunCommits.Commit(request, session, state, reply.content(), turns, model.id(),
                metrics, memberAnswers));
        if (committed instanceof RunCommits.Stale) {
            // Another run or a PATCH committed first: the next attempt reads the session again.
            return new Attempt.Erred("session " + session.sessionId() + " is no longer at version " + session.version(),
                    true, false, Optional.empty());
        }
        if (committed instanceof RunCommits.AlreadyFinished) {
            return new Attempt.EndedElsewhere();
        }
        int runIndex = ((RunCommits.Stored) committed).runIndex();
        if (loaded.othersParked()) {
            releaseQueue(request);
        }
        Instant finished = clock.instant();
        RunMetrics measured = new RunMetrics(metrics.inputTokens(), metrics.outputTokens(), metrics.modelLatencyMs(),
                Duration.between(request.requestedAt(), finished).toMillis(), metrics.acceptToStartMs(),
                Duration.between(modelEnd, finished).toMillis());
        return new Attempt.Ended(new RunOutcome.Completed(RunCompleted.of(request, runIndex, reply.content(), model.id(), measured, finished)));
    }

    /**
     * Stores the run as paused with its pending calls, until the pause timeout. Nothing of the run's
     * working state is kept: resuming replays the recorded rounds on the session's state then, and
     * the state is committed with the run's final answer, fenced as any run's.
     */
    private Attempt pause(RunRequested request, ToolLoop.Result loop) {
        Instant pausedAt = clock.instant();
        Instant expiresAt = pausedAt.plus(pauseTimeout);
        boolean paused = database.inTransaction(c -> pausedRuns.pause(c, request, loop.pending(), expiresAt));
        if (!paused) {
            return new Attempt.EndedElsewhere(); // cancelled meanwhile
        }
        log.info("run {} paused, waiting on {} tool call(s) until {}", request.runId(), loop.pending().size(), expiresAt);
        RunPaused event = RunPaused.of(request, loop.pending(), pausedAt, expiresAt);
        events.paused(request, event);
        return new Attempt.Ended(new RunOutcome.Paused(event));
    }

    /** Sends the session's next parked run through its lane, unless a paused run still holds the queue. */
    private void releaseQueue(RunRequested request) {
        try {
            database.inTransaction(c -> queue.releaseHead(c, request.sessionId())).ifPresent(next -> {
                log.info("run {} of session {} no longer waits; sending it through the session's lane", next.runId(), next.sessionId());
                events.resend(next);
            });
        } catch (RuntimeException e) {
            // The run's own outcome stands; the pause sweeper sends a queue's head that nothing sent.
            log.warn("could not wake the next run of session {}: {}", request.sessionId(), describe(e));
        }
    }

    /** The session's context snapshot and summary, as blocks for the system message (loaded only where the component asks). */
    private static List<String> memoryBlocks(SessionMemory memory) {
        List<String> blocks = new ArrayList<>();
        memory.context().ifPresent(context -> blocks.add(Prompt.contextBlock(context)));
        memory.summary().ifPresent(summary -> blocks.add(Prompt.summaryBlock(summary)));
        return blocks;
    }

    /** Stores the run as failed (when it is stored at all) and returns the event saying so; a finished run keeps its outcome. */
    RunOutcome fail(RunRequested request, String error) {
        log.warn("run {} failed: {}", request.runId(), error);
        boolean finishedNow = database.withConnection(c -> runs.finishUnsuccessfully(c, request.runId(), RunStatus.FAILED, error));
        releaseQueue(request);
        if (!finishedNow) {
            Optional<RunRecord> stored = database.withConnection(c -> runs.find(c, request.runId()));
            if (stored.isPresent() && stored.get().status().isFinished()) {
                return outcomeOf(stored.get());
            }
        }
        return new RunOutcome.Failed(RunFailed.of(request, RunStatus.FAILED.wireName(), error, clock.instant()));
    }

    /**
     * The run's session was deleted after the run was requested: the run ends as cancelled, with
     * nothing stored (its row, if any, went with the session) and the session left deleted.
     */
    private RunOutcome sessionDeleted(RunRequested request) {
        String reason = "session " + request.sessionId() + " was deleted";
        log.info("run {} cancelled: {}", request.runId(), reason);
        return new RunOutcome.Failed(RunFailed.of(request, RunStatus.CANCELLED.wireName(), reason, clock.instant()));
    }

    static RunOutcome outcomeOf(RunRecord run) {
        return run.status() == RunStatus.COMPLETED ? new RunOutcome.Completed(run.completedEvent()) : new RunOutcome.Failed(run.failedEvent());
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
