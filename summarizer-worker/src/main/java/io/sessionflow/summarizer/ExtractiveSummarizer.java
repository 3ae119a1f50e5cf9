package io.sessionflow.summarizer;

import io.sessionflow.model.FirstSentence;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The local model's summarizer: deterministic and extractive, and labelled as such. It keeps the
 * first sentence of the user's latest messages as bullet points and picks the most frequent longer
 * words as topics. It understands nothing; it is here so that the pipeline runs offline, honestly.
 */
final class ExtractiveSummarizer implements Summarizer {

    static final String LABEL = "[sessionflow local model: extractive summary, not an LLM]";
    private static final int KEPT_POINTS = 10;
    private static final Set<String> STOP_WORDS = Set.of("about", "after", "again", "could", "every", "first", "great", "should",
            "their", "there", "these", "thing", "think", "those", "where", "which", "while", "would", "what's", "please");

    @Override
    public String modelId() {
        return "local";
    }

    @Override
    public Optional<SummaryDraft> summarize(SessionSummary previous, List<RunTurns> newRuns) {
        List<String> points = new ArrayList<>(previous == null ? List.of() : pointsOf(previous.summary()));
        newRuns.forEach(run -> points.add(FirstSentence.of(run.userMessage())));
        List<String> kept = points.subList(Math.max(0, points.size() - KEPT_POINTS), points.size());
        int upTo = newRuns.get(newRuns.size() - 1).runIndex();
        StringBuilder text = new StringBuilder(LABEL).append(" Runs 1-").append(upTo).append(". The user said:");
        kept.forEach(point -> text.append("\n- ").append(point));
        return Optional.of(new SummaryDraft(text.toString(), topics(kept)));
    }

    private static List<String> pointsOf(String summary) {
        return summary.lines().filter(line -> line.startsWith("- ")).map(line -> line.substring(2)).toList();
    }

    private static List<String> topics(List<String> points) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String point : points) {
            for (String word : point.toLowerCase(Locale.ROOT).split("[^a-z0-9'-]+")) {
                if (word.length() >= 5 && !STOP_WORDS.contains(word)) {
                    counts.merge(word, 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(5).map(Map.Entry::getKey).toList();
    }
}
