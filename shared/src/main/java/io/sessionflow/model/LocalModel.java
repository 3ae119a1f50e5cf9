package io.sessionflow.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The built-in offline model. It is not a language model and says so in every answer: it is
 * deterministic and reports what it was given (the rendered system message, the history and the
 * new message), which is exactly what a demo or a test needs to see that session state and history
 * really came back from Postgres.
 *
 * <p>Its tool rule, just as literal: when it is offered tools, each line of the user's message of the
 * form {@code /tool <name> <json arguments>} asks for that tool call (several lines, several calls at
 * once; the arguments are passed on as written). Once the results are in, it answers with a line per
 * tool saying what it returned. Any other message calls no tool, so a plain message to a component
 * with agentic state leaves the state alone.
 *
 * <p>Asked for steps or a plan, it adds numbered steps split by rule from the request ({@link LocalPlan}),
 * saying that it does not know how: a planning session's context then has a plan to track.
 */
public final class LocalModel implements ChatModel {

    public static final String LABEL = "[sessionflow local model: offline and deterministic, not an LLM; it reports the context it received]";
    private static final int QUOTE_LIMIT = 120;
    private static final Pattern TOOL_LINE = Pattern.compile("/tool\\s+([A-Za-z0-9_-]+)\\s*(.*)");

    @Override
    public String id() {
        return "local";
    }

    @Override
    public ModelReply complete(List<ChatMessage> messages, List<ToolSpec> tools) {
        List<ChatMessage> conversation = messages.stream().filter(m -> m.role() != ChatMessage.Role.SYSTEM).toList();
        if (!conversation.isEmpty() && conversation.get(conversation.size() - 1).role() == ChatMessage.Role.TOOL) {
            return toolResults(messages, conversation);
        }
        if (!tools.isEmpty() && !conversation.isEmpty() && conversation.get(conversation.size() - 1).role() == ChatMessage.Role.USER) {
            List<ToolCall> calls = new ArrayList<>();
            for (String line : conversation.get(conversation.size() - 1).content().split("\n")) {
                Matcher call = TOOL_LINE.matcher(line.strip());
                if (call.matches()) {
                    calls.add(new ToolCall("local-call-" + (calls.size() + 1), call.group(1), call.group(2)));
                }
            }
            if (!calls.isEmpty()) {
                return new ModelReply("", countTokens(messages), 0, calls);
            }
        }
        return complete(messages);
    }

    /** The answer after tool calls: what each tool of the latest round returned, nothing made up. */
    private ModelReply toolResults(List<ChatMessage> messages, List<ChatMessage> conversation) {
        Map<String, String> names = new HashMap<>();
        conversation.forEach(m -> m.toolCalls().forEach(call -> names.put(call.id(), call.name())));
        int first = conversation.size();
        while (first > 0 && conversation.get(first - 1).role() == ChatMessage.Role.TOOL) {
            first--;
        }
        StringBuilder answer = new StringBuilder(LABEL).append('\n').append("Tool results:");
        for (ChatMessage result : conversation.subList(first, conversation.size())) {
            answer.append("\n  ").append(names.getOrDefault(result.toolCallId(), result.toolCallId())).append(" returned ")
                    .append(quote(result.content(), Integer.MAX_VALUE));
        }
        String content = answer.toString();
        return new ModelReply(content, countTokens(messages), countTokens(content));
    }

    @Override
    public ModelReply stream(List<ChatMessage> messages, List<ToolSpec> tools, java.util.function.Consumer<String> onDelta) {
        ModelReply reply = complete(messages, tools);
        for (String line : reply.content().split("(?<=\n)")) {
            if (!line.isEmpty()) {
                onDelta.accept(line);
            }
        }
        return reply;
    }

    @Override
    public ModelReply complete(List<ChatMessage> messages) {
        String system = messages.stream().filter(m -> m.role() == ChatMessage.Role.SYSTEM)
                .map(ChatMessage::content).collect(Collectors.joining("\n"));
        List<ChatMessage> conversation = messages.stream().filter(m -> m.role() != ChatMessage.Role.SYSTEM).toList();
        List<ChatMessage> history = conversation.subList(0, Math.max(0, conversation.size() - 1));
        String message = conversation.isEmpty() ? "" : conversation.get(conversation.size() - 1).content();

        StringBuilder answer = new StringBuilder(LABEL).append('\n');
        answer.append("Your message: ").append(quote(message, Integer.MAX_VALUE)).append('\n');
        answer.append("System message: ").append(system.isEmpty() ? "(none)" : quote(system, Integer.MAX_VALUE)).append('\n');
        if (history.isEmpty()) {
            answer.append("History: (none)");
        } else {
            answer.append("History (").append(history.size()).append(" messages):");
            for (ChatMessage turn : history) {
                answer.append("\n  ").append(turn.role().wireName()).append(": ").append(quote(turn.content(), QUOTE_LIMIT));
            }
        }
        LocalPlan.stepsFor(message).ifPresent(steps -> answer.append('\n').append(steps));
        String content = answer.toString();
        return new ModelReply(content, countTokens(messages), countTokens(content));
    }

    /** The same answer, handed over line by line: the local model streams too. */
    @Override
    public ModelReply stream(List<ChatMessage> messages, java.util.function.Consumer<String> onDelta) {
        ModelReply reply = complete(messages);
        String[] lines = reply.content().split("(?<=\n)");
        for (String line : lines) {
            onDelta.accept(line);
        }
        return reply;
    }

    private static String quote(String text, int limit) {
        // An earlier answer of this model is quoted without its label, so history stays readable.
        String body = text.startsWith(LABEL) ? text.substring(LABEL.length()).strip() : text;
        String flat = body.replace("\n", " / ");
        if (flat.length() > limit) {
            flat = flat.substring(0, limit) + "...";
        }
        return "\"" + flat + "\"";
    }

    private static long countTokens(List<ChatMessage> messages) {
        return messages.stream().mapToLong(m -> countTokens(m.content())).sum();
    }

    /** Whitespace-separated words: an honest stand-in for a tokenizer the local model does not have. */
    private static long countTokens(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
