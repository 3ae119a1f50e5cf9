package io.sessionflow.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The local model's steps, when a message asks for steps or a plan: the request (the message's first
 * sentence) split by rule into its clauses ("build the image, run the migrations, then switch"), or,
 * when it has only one, the same request as prepare / do / check. Deterministic and labelled: it
 * understands nothing, but its numbered lines are what a planning session's context picks up as a plan.
 */
final class LocalPlan {

    static final String HEADING = "Steps (your request split by rule; the local model does not know how to do it):";
    private static final Pattern ASKS = Pattern.compile("\\b(steps|plan|planning)\\b|\\bstep[- ]by[- ]step\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern POLITE = Pattern.compile(
            "^(please\\s+)?(help me( to)?|can you|could you|i want to|i need to|i'd like to|how do i|how can i)\\s+", Pattern.CASE_INSENSITIVE);
    private static final Pattern CLAUSES = Pattern.compile("\\s*(?:,|;|\\band then\\b|\\bthen\\b)\\s*(?:and\\s+)?");

    private LocalPlan() {
    }

    /** The numbered steps for this message, or empty when it asks for none. */
    static Optional<String> stepsFor(String message) {
        if (!ASKS.matcher(message).find()) {
            return Optional.empty();
        }
        String request = FirstSentence.of(message).replaceAll("[.?!:]+$", "").strip();
        request = POLITE.matcher(request).replaceFirst("").strip();
        if (request.isEmpty()) {
            return Optional.empty();
        }
        List<String> steps = new ArrayList<>();
        for (String clause : CLAUSES.split(request)) {
            if (!clause.isBlank()) {
                steps.add(capitalised(clause.strip()));
            }
        }
        if (steps.size() < 2) {
            steps = List.of("Prepare: " + request, "Do: " + request, "Check: " + request);
        }
        StringBuilder text = new StringBuilder(HEADING);
        for (int i = 0; i < steps.size(); i++) {
            text.append('\n').append(i + 1).append(". ").append(steps.get(i));
        }
        return Optional.of(text.toString());
    }

    private static String capitalised(String text) {
        return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }
}
