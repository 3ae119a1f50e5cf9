package io.sessionflow.context;

import io.sessionflow.model.FirstSentence;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local model's context extractor: deterministic, rule-based and labelled as such. The summary
 * lists the user's latest requests; the goal is the first request; the plan is the numbered or
 * bulleted steps found in the assistant's answers; progress is what the user reports done ("Done
 * with step 1"). It understands nothing: a real model does this properly.
 */
final class ExtractiveContextExtractor implements ContextExtractor {

    static final String LABEL = "[sessionflow local model: extractive context, not an LLM]";
    private static final Pattern STEP = Pattern.compile("^\\s*(?:\\d+[.)]|[-*•])\\s+(.+)$");
    private static final Pattern DONE = Pattern.compile("^\\s*(?:done|finished|completed)\\b(?:\\s+with)?(?:\\s+step\\s+(\\d+))?",
            Pattern.CASE_INSENSITIVE);
    private static final int KEPT_REQUESTS = 5;

    @Override
    public Optional<ContextDraft> extract(SessionContext previous, List<RunTurns> newRuns, boolean planning) {
        List<String> requests = new ArrayList<>(previous == null ? List.of() : requestsOf(previous.summary()));
        newRuns.forEach(run -> requests.add(abbreviate(run.userMessage())));
        List<String> kept = requests.subList(Math.max(0, requests.size() - KEPT_REQUESTS), requests.size());
        StringBuilder summary = new StringBuilder(LABEL).append(" The user's latest requests:");
        kept.forEach(request -> summary.append("\n- ").append(request));
        if (!planning) {
            return Optional.of(new ContextDraft(summary.toString(), null, null, null));
        }
        String goal = previous != null && previous.goal() != null ? null : FirstSentence.of(newRuns.get(0).userMessage());
        List<String> plan = previous != null && !previous.plan().isEmpty() ? null : stepsIn(newRuns);
        List<String> currentPlan = plan != null ? plan : previous.plan();
        List<String> progress = new ArrayList<>(previous == null ? List.of() : previous.progress());
        for (RunTurns run : newRuns) {
            Matcher done = DONE.matcher(run.userMessage());
            if (done.find()) {
                int step = done.group(1) == null ? -1 : Integer.parseInt(done.group(1));
                progress.add(step >= 1 && step <= currentPlan.size() ? currentPlan.get(step - 1) : FirstSentence.of(run.userMessage()));
            }
        }
        return Optional.of(new ContextDraft(summary.toString(), goal, plan, progress));
    }

    private static List<String> requestsOf(String summary) {
        return summary == null ? List.of() : summary.lines().filter(line -> line.startsWith("- ")).map(line -> line.substring(2)).toList();
    }

    private static List<String> stepsIn(List<RunTurns> runs) {
        List<String> steps = new ArrayList<>();
        for (RunTurns run : runs) {
            run.answer().lines().map(STEP::matcher).filter(Matcher::matches).forEach(m -> steps.add(m.group(1).strip()));
        }
        return steps;
    }

    /** The whole request, on one line: a question after a first sentence is often the point. */
    private static String abbreviate(String message) {
        String flat = message.strip().replaceAll("\\s+", " ");
        return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
    }
}
