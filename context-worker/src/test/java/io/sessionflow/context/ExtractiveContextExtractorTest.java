package io.sessionflow.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractiveContextExtractorTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

    private final ExtractiveContextExtractor extractor = new ExtractiveContextExtractor();

    private ContextDraft extract(SessionContext previous, List<RunTurns> runs, boolean planning) {
        return extractor.extract(previous, runs, planning).orElseThrow();
    }

    private static SessionContext stored(ContextDraft draft, SessionContext previous, int upTo) {
        return draft.applyTo(previous, "s1", upTo, ContextPrompt.VERSION, NOW);
    }

    private static SessionContext snapshot(String goal, List<String> plan, List<String> progress) {
        return new SessionContext("s1", ExtractiveContextExtractor.LABEL + " The user's latest requests:\n- Earlier request.",
                goal, plan, progress, 2, ContextPrompt.VERSION, NOW);
    }

    private static List<String> requests(String summary) {
        return summary.lines().filter(line -> line.startsWith("- ")).map(line -> line.substring(2)).toList();
    }

    @Test
    void shouldReturnOnlyASummaryInSummaryMode() {
        ContextDraft draft = extract(null, List.of(new RunTurns(1, "Plan a trip to Rome. Keep it cheap?", "1. Book\n2. Go")), false);

        assertThat(draft.goal()).isNull();
        assertThat(draft.plan()).isNull();
        assertThat(draft.progress()).isNull();
    }

    @Test
    void shouldListTheWholeRequestsAfterTheLabel() {
        ContextDraft draft = extract(null, List.of(
                new RunTurns(1, "Plan a trip to Rome.  Keep it\ncheap?", "ok"),
                new RunTurns(2, "Add a day in Florence.", "ok")), false);

        assertThat(draft.summary()).isEqualTo(ExtractiveContextExtractor.LABEL + " The user's latest requests:\n"
                + "- Plan a trip to Rome. Keep it cheap?\n"
                + "- Add a day in Florence.");
    }

    @Test
    void shouldCarryOverPreviousRequestsAndKeepTheLastFive() {
        List<RunTurns> first = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            first.add(new RunTurns(i, "Request " + i + ".", "ok"));
        }
        ContextDraft earlier = extract(null, first, false);

        ContextDraft later = extract(stored(earlier, null, 4), List.of(new RunTurns(5, "Request 5.", "ok"),
                new RunTurns(6, "Request 6.", "ok")), false);

        assertThat(requests(later.summary())).containsExactly("Request 2.", "Request 3.", "Request 4.", "Request 5.", "Request 6.");
    }

    @Test
    void shouldTakeGoalFromTheFirstSentenceOfTheFirstRequest() {
        ContextDraft draft = extract(null, List.of(
                new RunTurns(1, "I want to  launch a shop. Where do I start?", "Let us see."),
                new RunTurns(2, "Something else entirely.", "ok")), true);

        assertThat(draft.goal()).isEqualTo("I want to launch a shop.");
    }

    @Test
    void shouldKeepTheGoalOnceThereIsOne() {
        ContextDraft draft = extract(snapshot("Launch a shop.", List.of(), List.of()),
                List.of(new RunTurns(3, "Actually, open a cafe.", "ok")), true);

        assertThat(draft.goal()).as("null means keep").isNull();
        assertThat(stored(draft, snapshot("Launch a shop.", List.of(), List.of()), 3).goal()).isEqualTo("Launch a shop.");
    }

    @Test
    void shouldSetTheGoalWhenThePreviousSnapshotHasNone() {
        ContextDraft draft = extract(snapshot(null, List.of(), List.of()), List.of(new RunTurns(3, "Open a cafe! Soon.", "ok")), true);

        assertThat(draft.goal()).isEqualTo("Open a cafe!");
    }

    @Test
    void shouldTakeThePlanFromNumberedAndBulletedLinesOfTheAnswers() {
        ContextDraft draft = extract(null, List.of(
                new RunTurns(1, "How do I launch?", "Here is the plan:\n1. Build\n2) Test it\nThen:\n- Ship\n* Celebrate"),
                new RunTurns(2, "And then?", "  • Rest\nnot a step\n3.no space")), true);

        assertThat(draft.plan()).containsExactly("Build", "Test it", "Ship", "Celebrate", "Rest");
    }

    @Test
    void shouldNotTakeStepsFromTheUsersMessages() {
        ContextDraft draft = extract(null, List.of(new RunTurns(1, "1. Mine\n- Also mine", "No list here.")), true);

        assertThat(draft.plan()).isEmpty();
    }

    @Test
    void shouldKeepThePlanOnceThereIsOne() {
        SessionContext previous = snapshot("Launch.", List.of("Build", "Ship"), List.of());

        ContextDraft draft = extract(previous, List.of(new RunTurns(3, "Change it?", "1. Something new\n2. Other")), true);

        assertThat(draft.plan()).as("null means keep").isNull();
        assertThat(stored(draft, previous, 3).plan()).containsExactly("Build", "Ship");
    }

    @Test
    void shouldAddThePlanStepToProgressWhenTheUserReportsItDone() {
        SessionContext previous = snapshot("Launch.", List.of("Build", "Ship"), List.of());

        ContextDraft draft = extract(previous, List.of(new RunTurns(3, "Done with step 1. What's next?", "Now ship.")), true);

        assertThat(draft.progress()).containsExactly("Build");
    }

    @Test
    void shouldUseAPlanFoundInTheSameBatchForDoneReports() {
        ContextDraft draft = extract(null, List.of(
                new RunTurns(1, "Help me launch.", "1. Build\n2. Ship"),
                new RunTurns(2, "Finished step 2!", "Great.")), true);

        assertThat(draft.plan()).containsExactly("Build", "Ship");
        assertThat(draft.progress()).containsExactly("Ship");
    }

    @Test
    void shouldAddTheSentenceToProgressWhenThePlanHasNoSuchStep() {
        ContextDraft draft = extract(snapshot("Launch.", List.of(), List.of()),
                List.of(new RunTurns(3, "Done with step 1. What's next?", "What plan?")), true);

        assertThat(draft.progress()).containsExactly("Done with step 1.");
    }

    @Test
    void shouldAddTheSentenceWhenTheStepNumberIsBeyondThePlan() {
        SessionContext previous = snapshot("Launch.", List.of("Build"), List.of());

        ContextDraft draft = extract(previous, List.of(new RunTurns(3, "Completed step 3. Next?", "ok")), true);

        assertThat(draft.progress()).containsExactly("Completed step 3.");
    }

    @Test
    void shouldAppendToPreviousProgress() {
        SessionContext previous = snapshot("Launch.", List.of("Build", "Ship"), List.of("Build"));

        ContextDraft draft = extract(previous, List.of(new RunTurns(3, "done with step 2", "Congrats.")), true);

        assertThat(draft.progress()).containsExactly("Build", "Ship");
    }

    @Test
    void shouldAddNothingForAMessageThatIsNotADoneReport() {
        SessionContext previous = snapshot("Launch.", List.of("Build", "Ship"), List.of("Build"));

        ContextDraft draft = extract(previous, List.of(
                new RunTurns(3, "What is step 2 about? I am not done.", "Shipping."),
                new RunTurns(4, "Donegal is nice.", "It is.")), true);

        assertThat(draft.progress()).containsExactly("Build");
    }

    @Test
    void shouldBeDeterministic() {
        List<RunTurns> runs = List.of(new RunTurns(1, "Launch a shop.", "1. Build\n2. Ship"), new RunTurns(2, "Done with step 1.", "ok"));

        assertThat(new ExtractiveContextExtractor().extract(null, List.copyOf(runs), true))
                .isEqualTo(extractor.extract(null, runs, true));
    }

    /** Issue 14 item 6: the local model's answer to the seed's planning request carries a numbered plan this rule picks up. */
    @Test
    void shouldTakeThePlanFromTheLocalModelsNumberedStepsAndTickTheStepReportedDone() {
        String request = "Help me deploy a Python app to production. Give me the steps.";
        String answer = new io.sessionflow.model.LocalModel().complete(List.of(io.sessionflow.model.ChatMessage.user(request))).content();

        ContextDraft draft = extract(null, List.of(new RunTurns(1, request, answer),
                new RunTurns(2, "Done with step 1. What's next?", "Next.")), true);

        assertThat(draft.goal()).isEqualTo("Help me deploy a Python app to production.");
        assertThat(draft.plan()).containsExactly("Prepare: deploy a Python app to production", "Do: deploy a Python app to production",
                "Check: deploy a Python app to production");
        assertThat(draft.progress()).containsExactly("Prepare: deploy a Python app to production");
    }
}
