package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.NOW;
import static dev.rulemux.rules.PolicySpec.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.rulemux.config.Problems;
import dev.rulemux.config.Profile;
import dev.rulemux.config.ProfileReader;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.PaneSnapshot;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import dev.rulemux.domain.TurnOnScreen;
import dev.rulemux.screen.ScreenReader;
import dev.rulemux.screen.Turns;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Specifies how a turn over on the screen (a new answer line of the profile's {@code turns:} below those on screen when
 * the prompt was delivered, rules/lifecycle.drl) completes a task no capture saw at work, with no hook: Gemini CLI
 * answering a short "read this file" prompt at once. The turn evidence is made from two recorded screens, the one on
 * screen when the prompt was delivered and the one now, as the loop makes it.
 */
class TurnOnScreenPolicyTest {

    private static final long DELIVERED_MS_AGO = 3_000;

    private static List<String> turns(String fixture) {
        Problems problems = new Problems();
        Profile gemini = ProfileReader.read("gemini", Path.of("profiles/gemini.yaml"), problems);
        assertThat(problems.list()).isEmpty();
        return ScreenReader.read(gemini, PaneSnapshot.recorded("gemini", PolicySpec.read(fixture), 0)).turns();
    }

    /** The turn evidence the loop has for arch on gemini, given the screen at delivery and one after it. */
    private static Optional<TurnOnScreen> turnSince(String atDelivery, String now) {
        return Turns.newSince(turns(atDelivery), turns(now)).map(line -> new TurnOnScreen("gemini", "arch", NOW - 500, line));
    }

    private static PolicySpec archDeliveredToGemini(String screenNow, Optional<TurnOnScreen> turn) {
        PolicySpec s = spec().screen("gemini", screenNow, 1_000).inState("arch", TaskState.ASSIGNED, "gemini")
                .delivered("gemini", "arch", 1, DELIVERED_MS_AGO, false);
        turn.ifPresent(s::fact);
        return s;
    }

    @Test
    void givenAPromptDeliveredOnAnIdleScreen_whenTheScreenShowsItsAnswerAndAnEmptyInputBox_thenTheTaskIsCompleted() {
        Optional<TurnOnScreen> turn = turnSince("gemini/idle", "gemini/finished");

        PolicySpec.Verdict v = archDeliveredToGemini("gemini/finished", turn).decide();

        assertThat(turn).isPresent();
        assertThat(v.status("gemini")).isEqualTo(Status.IDLE);
        assertThat(v.transitions()).extracting(TaskTransition::task, TaskTransition::to)
                .containsExactly(tuple("arch", TaskState.COMPLETED));
        assertThat(v.transitions().get(0).reason()).isEqualTo("gemini's screen shows its turn over (a new answer since the "
                + "prompt was delivered: ✦ Done. You said: Explain the build) and it is idle again (its input box is empty)");
        assertThat(v.actions(ActionType.NUDGE)).isEmpty();
    }

    @Test
    void givenATaskWithACheck_whenItsTurnIsOverOnScreen_thenItsCheckRuns() {
        PolicySpec.Verdict v = archDeliveredToGemini("gemini/finished", turnSince("gemini/idle", "gemini/finished"))
                .task("arch", t -> PolicySpec.with(t, null, true, null, null, null, null)).decide();

        assertThat(v.transitions()).extracting(TaskTransition::task, TaskTransition::to)
                .containsExactly(tuple("arch", TaskState.VERIFYING));
    }

    @Test
    void givenAPromptDeliveredAfterAnEarlierAnswer_whileItIsAtWorkWithNoAnswerYet_thenNothingIsOverAndTheTaskGoesOn() {
        Optional<TurnOnScreen> turn = turnSince("gemini/finished", "gemini/working-second-turn");

        PolicySpec.Verdict v = archDeliveredToGemini("gemini/working-second-turn", turn).decide();

        assertThat(turn).isEmpty();
        assertThat(v.status("gemini")).isEqualTo(Status.WORKING);
        assertThat(v.transitions()).extracting(TaskTransition::to).doesNotContain(TaskState.COMPLETED, TaskState.VERIFYING);
    }

    @Test
    void givenAPromptStillInTheInputBox_thenNoTurnIsOverAndEnterIsPressedAgain() {
        Optional<TurnOnScreen> turn = turnSince("gemini/idle", "gemini/unsubmitted-short-prompt");

        PolicySpec.Verdict v = archDeliveredToGemini("gemini/unsubmitted-short-prompt", turn).decide();

        assertThat(turn).isEmpty();
        assertThat(v.status("gemini")).isEqualTo(Status.AWAITING_SUBMIT);
        assertThat(v.transitions()).isEmpty();
        assertThat(v.actions(ActionType.PRESS_ENTER)).extracting(a -> a.task()).containsExactly("arch");
    }

    @Test
    void givenATurnOverOnScreen_whileTheScreenContradictsItWithTheSpinner_thenTheScreenWinsAndTheTaskIsNotCompleted() {
        // an answer came, and the agent went on working (a tool call after its first words): still at work
        PolicySpec.Verdict v = archDeliveredToGemini("gemini/working-second-turn",
                Optional.of(new TurnOnScreen("gemini", "arch", NOW - 500, "✦ Done. You said: Explain the build"))).decide();

        assertThat(v.status("gemini")).isEqualTo(Status.WORKING);
        assertThat(v.transitions()).extracting(TaskTransition::to).doesNotContain(TaskState.COMPLETED, TaskState.VERIFYING);
    }

    @Test
    void givenAnIdleScreenThatNeverChangedSinceThePromptWasDelivered_thenNoTurnIsOver_andAReminderComesInTime() {
        Optional<TurnOnScreen> turn = turnSince("gemini/idle", "gemini/idle");

        PolicySpec.Verdict v = spec().screen("gemini", "gemini/idle", 60_000).inState("arch", TaskState.ASSIGNED, "gemini")
                .delivered("gemini", "arch", 1, 60_000, false).fact(PolicySpec.activity("gemini", 60_000, 0, 0, null)).decide();

        assertThat(turn).isEmpty();
        assertThat(v.transitions()).isEmpty();
        assertThat(v.actions(ActionType.NUDGE)).extracting(a -> a.task()).containsExactly("arch");
    }

    @Test
    void givenATurnOverOnScreen_longAfterThePromptWasDelivered_thenNoReminderIsSentButTheTaskIsCompleted() {
        PolicySpec.Verdict v = spec().screen("gemini", "gemini/finished", 60_000).inState("arch", TaskState.ASSIGNED, "gemini")
                .delivered("gemini", "arch", 1, 60_000, false).fact(PolicySpec.activity("gemini", 60_000, 1, 0, null))
                .fact(new TurnOnScreen("gemini", "arch", NOW - 59_000, "✦ Done. You said: Explain the build")).decide();

        assertThat(v.actions(ActionType.NUDGE)).isEmpty();
        assertThat(v.actions(ActionType.ALERT)).isEmpty();
        assertThat(v.transitions()).extracting(TaskTransition::task, TaskTransition::to)
                .containsExactly(tuple("arch", TaskState.COMPLETED));
    }
}
