package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.spec;
import static dev.rulemux.rules.PolicySpec.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.PromptUnreadable;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The task lifecycle policy on recorded screens: verification, agents' reports, recovery after a restart,
 * reassignment when an agent cannot go on, tier fallback and handoff holds. The spec team is described in
 * {@link PolicyDecisionsTest}.
 */
class LifecyclePolicyTest {

    private static List<String> moves(PolicySpec.Verdict v) {
        return v.transitions().stream().map(t -> t.task() + "->" + t.to() + (t.target() == null ? "" : "@" + t.target())).toList();
    }

    private static List<String> sent(PolicySpec.Verdict v) {
        return v.actions(ActionType.SEND_PROMPT).stream().map(a -> a.agent() + "<-" + a.task()).toList();
    }

    @Nested
    class Verification {

        @Test
        void aTaskWithACheckIsVerifiedWhenItsAgentIsDoneNotCompleted() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/finished").assigned("codex", "small")
                    .task("small", t -> with(t, 1, true, null, null, null, null))
                    .delivered("codex", "small", 1, 3000, true).decide();

            assertThat(moves(v)).containsExactly("small->VERIFYING");
        }

        @Test
        void aPassedCheckCompletesTheTask() {
            PolicySpec.Verdict v = spec().inState("small", TaskState.VERIFYING, "codex")
                    .task("small", t -> with(t, 1, true, null, null, null, null))
                    .verification("small", 1, true, 0, "ok").decide();

            assertThat(v.transitions()).containsExactly(new TaskTransition("small", TaskState.COMPLETED, "its check passed"));
        }

        @Test
        void aFailedCheckSendsTheTaskBackWhileAttemptsRemainThenFailsIt() {
            PolicySpec.Verdict retry = spec().inState("small", TaskState.VERIFYING, "codex")
                    .task("small", t -> with(t, 1, true, null, null, null, null))
                    .verification("small", 1, false, 2, "1 test failed").decide();
            assertThat(moves(retry)).containsExactly("small->PENDING");
            assertThat(retry.transitions().get(0).reason()).contains("exit 2", "attempt 1 of 3");

            PolicySpec.Verdict last = spec().inState("small", TaskState.VERIFYING, "codex")
                    .task("small", t -> with(t, 3, true, null, null, null, null))
                    .verification("small", 3, false, 2, "1 test failed").decide();
            assertThat(moves(last)).containsExactly("small->FAILED");
            assertThat(last.actions(ActionType.ALERT)).singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("has failed its check 3 times"));
        }

        @Test
        void aResultOfAnEarlierAttemptIsNotTakenForTheCurrentOne() {
            assertThat(spec().inState("small", TaskState.VERIFYING, "codex")
                    .task("small", t -> with(t, 2, true, null, null, null, null))
                    .verification("small", 1, true, 0, "").decide().transitions()).isEmpty();
        }

        @Test
        void aPendingTaskThatUsedAllItsAttemptsFails() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/idle").task("small", t -> with(t, 3, null, null, null, "codex", null))
                    .decide();

            assertThat(moves(v)).containsExactly("small->FAILED");
            assertThat(v.actions(ActionType.ALERT)).as("a person is told")
                    .containsExactly(Action.alert("codex", "small", "small has failed after 3 attempts"));
            assertThat(sent(v)).doesNotContain("codex<-small");
        }
    }

    @Nested
    class UnreadablePrompts {

        @Test
        void givenAPendingTaskWhosePromptCouldNotBeBuilt_whenDecided_thenItFailsWithTheReasonAndTheNextTaskGoesToTheFreeAgent() {
            PolicySpec.Verdict v = spec().screen("shell", "shell/idle", 5000, "bash")
                    .fact(new PromptUnreadable("lint", "shell", "cannot read prompt_file /x/lint.md of task lint: it is not a file"))
                    .decide();

            assertThat(moves(v)).containsExactly("lint->FAILED");
            assertThat(v.transitions().get(0).reason()).isEqualTo("its prompt could not be built (cannot read prompt_file /x/lint.md "
                    + "of task lint: it is not a file); fix it, then rulemux task retry lint");
            assertThat(v.actions(ActionType.ALERT)).singleElement().satisfies(a -> {
                assertThat(a.agent()).isEqualTo("shell");
                assertThat(a.task()).isEqualTo("lint");
                assertThat(a.reason()).startsWith("lint was not sent: its prompt could not be built");
            });
            assertThat(sent(v)).as("the queue moves on in the same tick").containsExactly("shell<-tests");
        }

        @Test
        void givenAPromptThatCouldNotBeBuiltForATaskNoLongerPending_whenDecided_thenNothingMoreHappens() {
            PolicySpec.Verdict v = spec().inState("lint", TaskState.FAILED, null)
                    .fact(new PromptUnreadable("lint", "shell", "cannot read prompt_file /x/lint.md of task lint: it is not a file"))
                    .decide();

            assertThat(v.transitions()).isEmpty();
            assertThat(v.actions(ActionType.ALERT)).isEmpty();
        }
    }

    @Nested
    class Reports {

        @Test
        void aDoneReportWinsOverAScreenStillAtWork() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/working").assigned("codex", "small")
                    .delivered("codex", "small", 1, 3000, true).report("small", ReportOutcome.DONE, "added the fix", "codex").decide();

            assertThat(v.transitions()).containsExactly(new TaskTransition("small", TaskState.COMPLETED,
                    "reported done by codex: added the fix"));
            assertThat(sent(v)).as("the agent is still at work").isEmpty();
        }

        @Test
        void aDoneReportOfATaskWithACheckStartsTheCheck() {
            PolicySpec.Verdict v = spec().assigned("codex", "small").task("small", t -> with(t, 1, true, null, null, null, null))
                    .report("small", ReportOutcome.DONE, "", "codex").decide();

            assertThat(moves(v)).containsExactly("small->VERIFYING");
        }

        @Test
        void aBlockedReportBlocksTheTaskAndTellsAPerson() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/finished").assigned("codex", "small")
                    .delivered("codex", "small", 1, 3000, true)
                    .report("small", ReportOutcome.BLOCKED, "needs the staging password", "codex").decide();

            assertThat(moves(v)).as("the screen's turn end gives way to the report").containsExactly("small->BLOCKED");
            assertThat(v.actions(ActionType.NEEDS_INPUT)).as("a person is needed").singleElement().satisfies(a ->
                    assertThat(a.reason()).isEqualTo("small is blocked: needs the staging password; rulemux task retry small when it can go on"));
            assertThat(v.actions(ActionType.ALERT)).as("told once, as needing input").isEmpty();
        }

        @Test
        void aReportOnATaskNotInFlightChangesNothing() {
            assertThat(spec().done("small").report("small", ReportOutcome.DONE, "", "codex").decide().transitions()).isEmpty();
        }
    }

    @Nested
    class Recovery {

        @Test
        void aTaskFoundInFlightWhosePromptIsOnItsIdleAgentsScreenHasHadItsTurn() {
            String screen = PolicySpec.read("codex/finished").replace("Explain the build [mock work=2s]", "[rulemux task small] Small fix");
            PolicySpec.Verdict v = spec().text("codex", screen, 5000).assigned("codex", "small").adopted("codex", "small").decide();

            assertThat(moves(v)).containsExactly("small->COMPLETED");
            assertThat(v.transitions().get(0).reason()).contains("found in flight after a restart; its prompt is on codex's screen");
        }

        @Test
        void aTaskFoundInFlightThatItsIdleAgentNeverGotGoesBackToTheQueue() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/idle").assigned("codex", "small").adopted("codex", "small").decide();

            assertThat(moves(v)).containsExactly("small->PENDING");
            assertThat(v.actions()).as("no alert about an unstarted prompt").noneMatch(a -> a.type() == ActionType.ALERT);
        }

        @Test
        void aTaskFoundInFlightWithItsPromptStillInTheInputBoxGetsEnterPressedAtOnce() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/unsubmitted-paste").assigned("codex", "small")
                    .adopted("codex", "small").decide();

            assertThat(v.actions()).extracting(Action::type).containsExactly(ActionType.PRESS_ENTER);
            assertThat(v.transitions()).isEmpty();
        }

        @Test
        void aTaskFoundInFlightWhoseAgentIsAtWorkIsLeftToIt() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/working").assigned("codex", "small").adopted("codex", "small").decide();

            assertThat(v.transitions()).isEmpty();
            assertThat(v.actions()).isEmpty();
        }
    }

    @Nested
    class Reassignment {

        @Test
        void aTaskOnAnAgentThatExitedGoesToItsBackup() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/exited").assigned("codex", "small").decide();

            assertThat(moves(v)).containsExactly("small->PENDING@claude");
        }

        @Test
        void aTaskOnAnAgentWithNoBackupThatExitedGoesBackToTheQueue() {
            PolicySpec.Verdict v = spec().dead("gemini", "gemini/idle").assigned("gemini", "arch").decide();

            assertThat(moves(v)).containsExactly("arch->PENDING");
        }

        @Test
        void aTaskOnAnAgentRateLimitedForLongGoesToItsBackupButAShortLimitIsWaitedOut() {
            assertThat(moves(spec().screen("codex", "codex/rate-limited").assigned("codex", "small")
                    .had("codex", Status.RATE_LIMITED, 30_000).decide())).isEmpty();
            assertThat(moves(spec().screen("codex", "codex/rate-limited").assigned("codex", "small")
                    .had("codex", Status.RATE_LIMITED, 130_000).decide())).containsExactly("small->PENDING@claude");
        }

        @Test
        void aTaskOnAnAgentWithNoBackupRateLimitedForLongGoesBackToTheQueue() {
            assertThat(moves(spec().screen("gemini", "gemini/usage-limit").assigned("gemini", "arch")
                    .had("gemini", Status.RATE_LIMITED, 30_000).decide())).isEmpty();

            PolicySpec.Verdict v = spec().screen("gemini", "gemini/usage-limit").assigned("gemini", "arch")
                    .had("gemini", Status.RATE_LIMITED, 130_000).decide();

            assertThat(moves(v)).containsExactly("arch->PENDING");
            assertThat(v.transitions().get(0).reason()).isEqualTo("gemini has been rate limited for 130 s: arch goes back to the queue");
        }

        @Test
        void aHandedTaskGoesToItsAgentWhateverTheTierAndWaitsForItForAWhile() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle").screen("codex", "codex/idle").done("arch")
                    .task("feat", t -> with(t, 1, null, "claude", 10_000L, "codex", null))
                    .task("small", t -> with(t, null, null, null, null, null, null)).decide();
            assertThat(sent(v)).contains("claude<-feat").doesNotContain("codex<-feat");

            PolicySpec.Verdict others = spec().screen("codex", "codex/idle").done("arch", "small")
                    .task("feat", t -> with(t, 1, null, "claude", 10_000L, "codex", null)).decide();
            assertThat(sent(others)).as("codex waits while feat is held for claude").isEmpty();

            PolicySpec.Verdict later = spec().screen("codex", "codex/idle").done("arch", "small")
                    .task("feat", t -> with(t, 1, null, "claude", 130_000L, "codex", null)).decide();
            assertThat(sent(later)).as("after handoff_hold anyone of its tier may take it").containsExactly("codex<-feat");
        }
    }

    @Nested
    class Tiers {

        @Test
        void aTaskWaitingLongerThanTierUpAfterGoesToAFreeHigherTierAgent() {
            assertThat(sent(spec().screen("claude", "claude-code/idle").done("arch")
                    .task("small", t -> with(t, null, null, null, 30_000L, null, null)).decide())).isEmpty();

            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle").done("arch")
                    .task("small", t -> with(t, null, null, null, 130_000L, null, null)).decide();
            assertThat(sent(v)).containsExactly("claude<-small");
            assertThat(v.actions().get(0).reason()).contains("small is a medium task that waited 130 s for a medium agent");
        }

        @Test
        void anAgentOfTheTasksOwnTierComesBeforeAFallback() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle").screen("codex", "codex/idle").done("arch")
                    .task("small", t -> with(t, null, null, null, 130_000L, null, null)).decide();

            assertThat(sent(v)).containsExactly("codex<-small");
        }

        @Test
        void aHigherTierTaskGoesToALowerTierAgentOnceItHasWaitedThatAgentsTierDownAfter() {
            assertThat(sent(spec().screen("codex", "codex/idle").knob("codex", "tier_down_after", "1h").done("small")
                    .task("arch", t -> with(t, null, null, null, 1_800_000L, null, null)).decide())).as("not before").isEmpty();

            PolicySpec.Verdict v = spec().screen("codex", "codex/idle").knob("codex", "tier_down_after", "1h").done("small")
                    .task("arch", t -> with(t, null, null, null, 7_200_000L, null, null)).decide();

            assertThat(sent(v)).containsExactly("codex<-arch");
            assertThat(v.actions().get(0).reason()).contains("arch is a high task that waited 7200 s for a high agent");
        }

        @Test
        void aHigherTierTaskNeverGoesToALowerTierAgentByDefault() {
            assertThat(sent(spec().screen("codex", "codex/idle").done("small")
                    .task("arch", t -> with(t, null, null, null, 86_400_000L, null, null)).decide())).isEmpty();
        }
    }

    @Test
    void anAgentAtWorkOnATaskCancelledMomentsAgoIsInterrupted() {
        PolicySpec.Verdict v = spec().screen("codex", "codex/working").inState("small", TaskState.CANCELLED, null)
                .task("small", t -> with(t, 1, null, null, null, "codex", 2_000L)).decide();

        assertThat(v.actions()).containsExactly(Action.interrupt("codex", "small", "small was cancelled while codex was at work on it"));

        assertThat(spec().screen("codex", "codex/working").inState("small", TaskState.CANCELLED, null)
                .task("small", t -> with(t, 1, null, null, null, "codex", 60_000L)).decide().actions()).isEmpty();
    }
}
