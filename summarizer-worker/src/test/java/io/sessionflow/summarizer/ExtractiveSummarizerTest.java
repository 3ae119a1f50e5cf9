package io.sessionflow.summarizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractiveSummarizerTest {

    private final ExtractiveSummarizer summarizer = new ExtractiveSummarizer();

    private static SessionSummary stored(SummaryDraft draft, int upTo) {
        return new SessionSummary("s1", draft.summary(), draft.topics(), upTo, SummaryPrompt.VERSION, "local",
                Instant.parse("2024-05-01T10:00:00Z"));
    }

    private static List<String> bullets(String summary) {
        return summary.lines().filter(line -> line.startsWith("- ")).map(line -> line.substring(2)).toList();
    }

    private SummaryDraft summarize(SessionSummary previous, List<RunTurns> runs) {
        return summarizer.summarize(previous, runs).orElseThrow();
    }

    @Test
    void shouldIdentifyAsLocal() {
        assertThat(summarizer.modelId()).isEqualTo("local");
    }

    @Test
    void shouldBeDeterministic() {
        List<RunTurns> runs = List.of(new RunTurns(1, "Plan a trip to Rome. Cheap please.", "Sure."),
                new RunTurns(2, "Book trains between cities!", "Done."));

        assertThat(new ExtractiveSummarizer().summarize(null, List.copyOf(runs))).isEqualTo(summarizer.summarize(null, runs));
    }

    @Test
    void shouldStartWithLabelAndRunsUpToTheLastNewRun() {
        SummaryDraft draft = summarize(null, List.of(new RunTurns(3, "Hi.", "Hello."), new RunTurns(7, "Bye.", "Bye.")));

        assertThat(draft.summary()).startsWith(ExtractiveSummarizer.LABEL + " Runs 1-7. The user said:\n");
    }

    @Test
    void shouldKeepTheFirstSentenceOfEachUserMessageAsBullets() {
        SummaryDraft draft = summarize(null, List.of(
                new RunTurns(1, "  I like   trains.\nThey are fast. ", "ok"),
                new RunTurns(2, "Where is Oslo? Tell me.", "north"),
                new RunTurns(3, "no punctuation at all", "fine")));

        assertThat(draft.summary()).isEqualTo(ExtractiveSummarizer.LABEL + " Runs 1-3. The user said:\n"
                + "- I like trains.\n"
                + "- Where is Oslo?\n"
                + "- no punctuation at all");
    }

    @Test
    void shouldNotUseTheAssistantsAnswers() {
        SummaryDraft draft = summarize(null, List.of(new RunTurns(1, "Hello.", "Secret answer text.")));

        assertThat(draft.summary()).doesNotContain("Secret");
    }

    @Test
    void shouldShortenLongFirstSentences() {
        String longSentence = "word ".repeat(40).strip() + ".";

        SummaryDraft draft = summarize(null, List.of(new RunTurns(1, longSentence, "ok")));

        String bullet = bullets(draft.summary()).get(0);
        assertThat(bullet).hasSize(120).endsWith("...").startsWith(longSentence.substring(0, 117));
    }

    @Test
    void shouldCarryOverPreviousBulletsBeforeTheNewOnes() {
        SummaryDraft first = summarize(null, List.of(new RunTurns(1, "First point.", "a"), new RunTurns(2, "Second point.", "b")));

        SummaryDraft second = summarize(stored(first, 2), List.of(new RunTurns(3, "Third point.", "c")));

        assertThat(second.summary()).startsWith(ExtractiveSummarizer.LABEL + " Runs 1-3.");
        assertThat(bullets(second.summary())).containsExactly("First point.", "Second point.", "Third point.");
    }

    @Test
    void shouldKeepOnlyTheLastTenBullets() {
        List<RunTurns> earlier = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            earlier.add(new RunTurns(i, "Point " + i + ".", "ok"));
        }
        SummaryDraft first = summarize(null, earlier);
        assertThat(bullets(first.summary())).hasSize(9);

        SummaryDraft second = summarize(stored(first, 9), List.of(
                new RunTurns(10, "Point 10.", "ok"), new RunTurns(11, "Point 11.", "ok"), new RunTurns(12, "Point 12.", "ok")));

        List<String> expected = new ArrayList<>();
        for (int i = 3; i <= 12; i++) {
            expected.add("Point " + i + ".");
        }
        assertThat(bullets(second.summary())).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldIgnoreNonBulletLinesOfThePreviousSummary() {
        SessionSummary previous = new SessionSummary("s1", "A model wrote this.\nNo bullets here.\n-not a bullet", List.of(), 4,
                SummaryPrompt.VERSION, "openai:gpt-4o-mini", Instant.parse("2024-05-01T10:00:00Z"));

        SummaryDraft draft = summarize(previous, List.of(new RunTurns(5, "New point.", "ok")));

        assertThat(bullets(draft.summary())).containsExactly("New point.");
    }

    @Test
    void shouldPickFrequentLongWordsAsTopicsMostFrequentFirstTiesAlphabetical() {
        SummaryDraft draft = summarize(null, List.of(
                new RunTurns(1, "Kafka brokers replicate partitions.", "ok"),
                new RunTurns(2, "Kafka brokers elect leaders.", "ok"),
                new RunTurns(3, "Postgres stores sessions.", "ok")));

        assertThat(draft.topics()).containsExactly("brokers", "kafka", "elect", "leaders", "partitions");
    }

    @Test
    void shouldLeaveOutShortWordsAndStopWords() {
        SummaryDraft draft = summarize(null, List.of(
                new RunTurns(1, "Could you please think about trains?", "ok"),
                new RunTurns(2, "What is a big car?", "ok")));

        assertThat(draft.topics()).containsExactly("trains");
    }

    @Test
    void shouldTakeTopicsOnlyFromTheKeptBullets() {
        List<RunTurns> runs = new ArrayList<>();
        runs.add(new RunTurns(1, "Zebras everywhere.", "ok"));
        for (int i = 2; i <= 11; i++) {
            runs.add(new RunTurns(i, "Hello.", "ok"));
        }

        SummaryDraft draft = summarize(null, runs);

        assertThat(draft.topics()).containsExactly("hello");
    }
}
