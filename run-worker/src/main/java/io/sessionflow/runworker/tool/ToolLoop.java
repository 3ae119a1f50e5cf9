package io.sessionflow.runworker.tool;

import io.sessionflow.runworker.store.ToolCallLog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ToolDefinition;
import io.sessionflow.event.PendingToolCall;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ModelReply;
import io.sessionflow.model.ToolCall;
import io.sessionflow.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's model calls and tool calls: the model is called, the tools it asks for are executed and
 * their results fed back, until it answers (or the component's {@code tool_call_limit} is spent, after
 * which it is offered no tool). State tools change only {@code state}, the run's working copy, which
 * is committed with the run or not at all.
 *
 * <p>At most once per tool call: every round of tool calls is recorded before any is executed, and
 * each call's result as soon as it has one ({@link ToolCallLog}). An attempt that finds a round
 * recorded does not call the model for it again (the same calls, with the same ids, come back), and
 * reuses each recorded result; a call another attempt started but did not finish may have taken
 * effect, so it is not repeated and the model is told so. State-only calls are replayed on the
 * state, which a new attempt rebuilds from the session.
 *
 * <p>A round with calls of external tools, or of tools that need approval, ends the loop as paused once
 * its other calls are done: the run waits, holding nothing, and is executed again when the answers are
 * recorded, which replays the recorded rounds up to there and goes on.
 */
public final class ToolLoop {

    /** One model call of the loop, offering {@code tools} (none once the limit is spent). */
    @FunctionalInterface
    public interface ModelCall {
        ModelReply call(List<ChatMessage> messages, List<ToolSpec> tools);
    }

    /** What happens to each tool call as it happens (for streaming). */
    public interface Progress {
        void started(ToolCall call);

        void completed(ToolCall call, String status, String result);
    }

    /**
     * @param answer   the model's last reply (its answer); null when the run pauses
     * @param messages what the loop added after the prompt: the assistant's tool-call turns, the tool results, the answer
     * @param pending  the calls the run waits on (external tools' results, approvals): when not empty, the run pauses
     */
    public record Result(ModelReply answer, List<ChatMessage> messages, long inputTokens, long outputTokens, List<PendingToolCall> pending) {

        public boolean paused() {
            return !pending.isEmpty();
        }
    }

    static final String INTERRUPTED = "error: this call was started by an earlier attempt of the run that did not finish; "
            + "it may or may not have taken effect, and it is not repeated";
    static final String LIMIT_REACHED = "error: not executed, the run's tool_call_limit is reached";

    private final ToolCallLog log;
    private final ToolExecutor executor;

    public ToolLoop(ToolCallLog log, ToolExecutor executor) {
        this.log = log;
        this.executor = executor;
    }

    public Result run(ComponentDefinition component, String runId, List<ChatMessage> prompt, ObjectNode state, ModelCall model,
                      Progress progress) {
        List<ToolSpec> specs = ToolExecutor.specs(component);
        Map<Integer, ToolCallLog.Round> recorded = specs.isEmpty() ? Map.of() : log.load(runId);
        List<ChatMessage> conversation = new ArrayList<>(prompt);
        List<ChatMessage> added = new ArrayList<>();
        long in = 0;
        long out = 0;
        int executed = 0;
        for (int round = 0; ; round++) {
            boolean offered = executed < component.toolCallLimit() && !specs.isEmpty();
            ToolCallLog.Round calls = recorded.get(round);
            ModelReply reply = null;
            if (calls == null) {
                reply = model.call(conversation, offered ? specs : List.of());
                in += reply.inputTokens();
                out += reply.outputTokens();
                if (!reply.callsTools() || !offered) {
                    // A model that asks for tools it was not offered has answered, as far as this run goes.
                    added.add(ChatMessage.assistant(reply.content()));
                    return new Result(reply, added, in, out, List.of());
                }
                calls = log.recordRound(runId, round, reply.content(), reply.toolCalls());
            }
            ChatMessage asked = ChatMessage.assistant(calls.said(), calls.toolCalls());
            conversation.add(asked);
            added.add(asked);
            List<PendingToolCall> pending = new ArrayList<>();
            for (ToolCallLog.Recorded call : calls.calls()) {
                Optional<PendingToolCall.Awaiting> awaiting = executed < component.toolCallLimit() ? awaiting(component, call)
                        : Optional.empty();
                if (awaiting.isPresent()) {
                    // Answered by whoever continues the run; the calls of the round that need no answer go on meanwhile.
                    pending.add(new PendingToolCall(call.call().id(), call.call().name(), call.call().arguments(), awaiting.get()));
                    executed++;
                    continue;
                }
                progress.started(call.call());
                ToolExecutor.Outcome outcome = execute(component, runId, call, state, executed);
                executed++;
                progress.completed(call.call(), outcome.status().wireName(), outcome.result());
                ChatMessage result = ChatMessage.toolResult(call.call().id(), outcome.result());
                conversation.add(result);
                added.add(result);
            }
            if (!pending.isEmpty()) {
                return new Result(null, added, in, out, pending);
            }
        }
    }

    /**
     * What an unanswered call waits for: an external tool's call (no url) its result, a call of a tool
     * with {@code requires_confirmation} an approval. Nothing once answered: an approved call is
     * executed here, a rejected one and an external result are recorded results.
     */
    static Optional<PendingToolCall.Awaiting> awaiting(ComponentDefinition component, ToolCallLog.Recorded recorded) {
        if (recorded.status() != ToolCallLog.Status.REQUESTED || ToolExecutor.changesStateOnly(component, recorded.call())) {
            return Optional.empty();
        }
        Optional<ToolDefinition> tool = component.tools().stream().filter(t -> t.name().equals(recorded.call().name())).findFirst();
        if (tool.isEmpty()) {
            return Optional.empty();
        }
        if (!tool.get().isHttp()) {
            return Optional.of(PendingToolCall.Awaiting.RESULT);
        }
        return tool.get().requiresConfirmation() ? Optional.of(PendingToolCall.Awaiting.APPROVAL) : Optional.empty();
    }

    private ToolExecutor.Outcome execute(ComponentDefinition component, String runId, ToolCallLog.Recorded recorded, ObjectNode state,
                                         int executedSoFar) {
        ToolCall call = recorded.call();
        if (ToolExecutor.changesStateOnly(component, call)) {
            // Pure and local: applied again on this attempt's state, whether or not an earlier attempt ran it.
            ToolExecutor.Outcome outcome = ToolExecutor.updateSessionState(call, state);
            if (!recorded.status().isDone()) {
                log.finish(runId, call.id(), outcome.status(), outcome.result());
            }
            return outcome;
        }
        if (recorded.status().isDone()) {
            return new ToolExecutor.Outcome(recorded.status(), recorded.result());
        }
        if (recorded.status() == ToolCallLog.Status.STARTED) {
            return interrupted(runId, call);
        }
        ToolExecutor.Outcome outcome;
        Optional<ToolDefinition> tool = ToolExecutor.httpTool(component, call.name());
        if (executedSoFar >= component.toolCallLimit()) {
            outcome = new ToolExecutor.Outcome(ToolCallLog.Status.FAILED, LIMIT_REACHED);
        } else if (tool.isEmpty()) {
            outcome = new ToolExecutor.Outcome(ToolCallLog.Status.FAILED, "error: there is no tool named '" + call.name() + "'");
        } else if (!log.start(runId, call.id())) {
            return interrupted(runId, call); // another attempt claimed it
        } else {
            outcome = executor.callHttp(tool.get(), call, runId);
        }
        String result = log.finish(runId, call.id(), outcome.status(), outcome.result());
        return new ToolExecutor.Outcome(outcome.status(), result);
    }

    private ToolExecutor.Outcome interrupted(String runId, ToolCall call) {
        String result = log.finish(runId, call.id(), ToolCallLog.Status.INTERRUPTED, INTERRUPTED);
        return new ToolExecutor.Outcome(ToolCallLog.Status.INTERRUPTED, result);
    }
}
