package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.Activity;
import dev.rulemux.domain.HandoffNote;
import dev.rulemux.domain.LimitSeen;
import dev.rulemux.domain.Restart;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The resilience policy on recorded screens: the stuck ladder, unstarted prompts, crashes, usage limits and
 * their dialogs, dialogs left up, and handoff by note. Team and tasks as in {@link PolicyDecisionsTest};
 * stuck_after 3m, restart_backoff 10s, max_crashes 3 in crash_window 10m, limit_cooldown 5m.
 */
class ResiliencePolicyTest {

    private static List<ActionType> types(PolicySpec.Verdict v) {
        return v.actions().stream().map(Action::type).toList();
    }

    @Nested
    class Stuck {

        private PolicySpec stuckOnArch() {
            return spec().screen("claude", "claude-code/working", 200_000).assigned("claude", "arch");
        }

        @Test
        void firstANudge() {
            assertThat(types(stuckOnArch().decide())).containsExactly(ActionType.NUDGE);
        }

        @Test
        void aStuckAgentWithNoTaskInFlightIsNudgedToo() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/working", 200_000).decide();

            assertThat(v.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.NUDGE);
                assertThat(a.task()).isNull();
                assertThat(a.reason()).startsWith("claude is stuck: working, but its screen has not changed for 200 s");
            });
        }

        @Test
        void stillStuckAfterItsReminderItIsInterruptedAndItsTaskSentAgain() {
            PolicySpec.Verdict v = stuckOnArch().fact(PolicySpec.activity("claude", 190_000, 1, 0, null)).decide();

            assertThat(types(v)).containsExactly(ActionType.INTERRUPT);
            assertThat(v.transitions()).extracting(TaskTransition::target).containsExactly("claude");
        }

        @Test
        void notBeforeStuckAfterHasPassedSinceTheReminder() {
            assertThat(stuckOnArch().fact(PolicySpec.activity("claude", 30_000, 1, 0, null)).decide().actions()).isEmpty();
        }

        @Test
        void stillStuckAfterTheInterruptItIsRestartedAndItsTaskSentAgain() {
            PolicySpec.Verdict v = stuckOnArch().fact(PolicySpec.activity("claude", 190_000, 2, 0, null)).decide();

            assertThat(types(v)).containsExactly(ActionType.RESTART_AGENT);
            assertThat(v.transitions()).extracting(t -> t.task() + "@" + t.target()).containsExactly("arch@claude");
        }
    }

    @Nested
    class UnstartedPrompts {

        @Test
        void anIdleAgentThatNeverStartedOnItsPromptGetsAReminderThenAPersonIsTold() {
            PolicySpec first = spec().screen("codex", "codex/idle").inState("small", TaskState.ASSIGNED, "codex")
                    .delivered("codex", "small", 1, 50_000, false);
            assertThat(types(first.decide())).containsExactly(ActionType.NUDGE);

            PolicySpec later = spec().screen("codex", "codex/idle").inState("small", TaskState.ASSIGNED, "codex")
                    .delivered("codex", "small", 1, 100_000, false).fact(PolicySpec.activity("codex", 50_000, 1, 0, null));
            assertThat(later.decide().actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.ALERT);
                assertThat(a.reason()).endsWith("even after a reminder");
            });
        }
    }

    @Nested
    class Crashes {

        @Test
        void anAgentThatExitedIsRestartedAndItsTaskGoesToItsBackup() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/exited").assigned("codex", "small").decide();

            assertThat(types(v)).containsExactly(ActionType.RESTART_AGENT);
            assertThat(v.transitions()).extracting(t -> t.task() + "@" + t.target()).containsExactly("small@claude");
        }

        @Test
        void theRestartWaitsABackoffThatDoublesWithEachRecentCrash() {
            PolicySpec once = spec().screen("codex", "codex/exited").fact(PolicySpec.restart("codex", 15_000));
            assertThat(types(once.fact(PolicySpec.activity("codex", 15_000, 0, 1, 15_000L)).decide())).as("backoff 20 s").isEmpty();
            assertThat(types(spec().screen("codex", "codex/exited").fact(PolicySpec.restart("codex", 25_000))
                    .fact(PolicySpec.activity("codex", 25_000, 0, 1, 25_000L)).decide())).containsExactly(ActionType.RESTART_AGENT);
        }

        @Test
        void anAgentRestartedMaxCrashesTimesInTheWindowIsOutOfServiceAndAPersonIsTold() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/exited").fact(PolicySpec.restart("codex", 500_000))
                    .fact(PolicySpec.restart("codex", 300_000)).fact(PolicySpec.restart("codex", 100_000))
                    .fact(PolicySpec.activity("codex", 100_000, 0, 3, 100_000L)).decide();

            assertThat(v.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.ALERT);
                assertThat(a.reason()).contains("keeps crashing or sticking (restarted 3 times in the last 10 min)");
            });
        }

        @Test
        void crashesOlderThanTheWindowDoNotCount() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/exited").fact(PolicySpec.restart("codex", 900_000))
                    .fact(PolicySpec.restart("codex", 800_000)).fact(PolicySpec.restart("codex", 700_000))
                    .fact(PolicySpec.activity("codex", 700_000, 0, 3, 700_000L)).decide();

            assertThat(types(v)).containsExactly(ActionType.RESTART_AGENT);
        }

        @Test
        void anAgentOutOfServiceGetsNoWork() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/idle").fact(PolicySpec.restart("codex", 50_000))
                    .fact(PolicySpec.restart("codex", 40_000)).fact(PolicySpec.restart("codex", 30_000)).decide();

            assertThat(v.actions(ActionType.SEND_PROMPT)).isEmpty();
            assertThat(v.actions(ActionType.ALERT)).hasSize(1);
        }
    }

    @Nested
    class Limits {

        @Test
        void aLimitHoldsUntilItsResetTimeThenTheAgentGetsWorkAgain() {
            String line = "■ You’ve hit your usage limit.";
            PolicySpec.Verdict before = spec().screen("codex", "codex/usage-limit")
                    .fact(PolicySpec.limit("codex", line, 60_000, 600_000L)).decide();
            assertThat(before.status("codex")).isEqualTo(Status.RATE_LIMITED);
            assertThat(before.actions(ActionType.SEND_PROMPT)).isEmpty();

            PolicySpec.Verdict after = spec().screen("codex", "codex/usage-limit")
                    .fact(PolicySpec.limit("codex", line, 660_000, -1_000L)).decide();
            assertThat(after.status("codex")).isEqualTo(Status.IDLE);
            assertThat(after.actions(ActionType.SEND_PROMPT)).extracting(Action::task).containsExactly("small");
        }

        @Test
        void aLimitThatGivesNoResetTimeHoldsForLimitCooldown() {
            assertThat(spec().screen("codex", "codex/rate-limited").fact(PolicySpec.limit("codex", "■ exceeded retry limit", 60_000, null))
                    .decide().status("codex")).isEqualTo(Status.RATE_LIMITED);
            assertThat(spec().screen("codex", "codex/rate-limited").fact(PolicySpec.limit("codex", "■ exceeded retry limit", 310_000, null))
                    .decide().status("codex")).isEqualTo(Status.IDLE);
        }

        @Test
        void aTaskOnAnAgentWhoseLimitResetsLaterIsReleasedToItsBackupAfterReleaseRateLimitedAfter() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/usage-limit").assigned("codex", "small")
                    .fact(PolicySpec.limit("codex", "limit", 130_000, 3_600_000L)).had("codex", Status.RATE_LIMITED, 130_000).decide();

            assertThat(v.transitions()).extracting(t -> t.task() + "@" + t.target()).containsExactly("small@claude");
        }

        @Test
        void aTaskWhoseTurnEndedInALimitIsNotDoneItIsSentAgainOnceTheLimitIsOver() {
            String line = "■ You’ve hit your usage limit.";
            PolicySpec.Verdict during = spec().screen("codex", "codex/usage-limit").assigned("codex", "small")
                    .delivered("codex", "small", 1, 60_000, true).fact(PolicySpec.limit("codex", line, 60_000, 600_000L)).decide();
            assertThat(during.transitions()).isEmpty();

            PolicySpec.Verdict over = spec().screen("codex", "codex/usage-limit").assigned("codex", "small")
                    .delivered("codex", "small", 1, 700_000, true).fact(PolicySpec.limit("codex", line, 700_000, -5_000L)).decide();
            assertThat(over.transitions()).extracting(t -> t.task() + "->" + t.to() + "@" + t.target())
                    .containsExactly("small->PENDING@codex");
        }

        @Test
        void aUsageLimitDialogIsAnsweredByWaitingForTheReset() {
            PolicySpec.Verdict claude = spec().screen("claude", "claude-code/usage-limit").decide();
            assertThat(claude.status("claude")).isEqualTo(Status.RATE_LIMITED);
            assertThat(claude.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.ANSWER_DIALOG);
                assertThat(a.keys()).containsExactly("Enter");
                assertThat(a.reason()).contains("waiting for the reset");
            });
            assertThat(spec().screen("gemini", "gemini/usage-limit").decide().actions()).singleElement()
                    .satisfies(a -> assertThat(a.keys()).containsExactly("2"));
        }
    }

    @Nested
    class Dialogs {

        @Test
        void aDialogStillUpAfterItWasAnsweredIsAnsweredAgainOnlyAfterDialogRetryAfter() {
            assertThat(spec().screen("claude", "claude-code/approval").fact(PolicySpec.activity("claude", 500, 0, 0, null))
                    .decide().actions()).isEmpty();
            assertThat(types(spec().screen("claude", "claude-code/approval").fact(PolicySpec.activity("claude", 2_500, 0, 0, null))
                    .decide())).containsExactly(ActionType.ANSWER_DIALOG);
        }

        @Test
        void anApprovalAskedOfAPersonLeavesTheTaskWaiting() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/approval").assigned("codex", "small")
                    .delivered("codex", "small", 1, 5_000, true).decide();

            assertThat(types(v)).containsExactly(ActionType.NEEDS_INPUT);
            assertThat(v.transitions()).isEmpty();
        }
    }

    @Nested
    class Handoff {

        @Test
        void aWrittenHandoffNoteHandsTheTaskToTheBackupBeforeTheContextIsFull() {
            String atWork = PolicySpec.read("codex/working").replace("Context 100% left", "Context 8% left");
            PolicySpec.Verdict v = spec().text("codex", atWork, 500).assigned("codex", "small")
                    .fact(new HandoffNote("codex", "small", "/h/codex-small.md", true)).decide();

            assertThat(types(v)).containsExactly(ActionType.HANDOFF);
            assertThat(v.transitions()).containsExactly(TaskTransition.handTo("small", "claude",
                    "codex wrote its handoff note /h/codex-small.md: small goes to its backup claude"));
        }

        @Test
        void aNoteAskedForButNotYetWrittenWaits() {
            String atWork = PolicySpec.read("codex/working").replace("Context 100% left", "Context 8% left");
            assertThat(spec().text("codex", atWork, 500).assigned("codex", "small")
                    .fact(new HandoffNote("codex", "small", "/h/codex-small.md", false)).decide().actions()).isEmpty();
        }

        @Test
        void anAgentWithAFullContextTakesNoNewWorkUntilCleared() {
            assertThat(spec().screen("claude", "claude-code/context-98").decide().actions(ActionType.SEND_PROMPT)).isEmpty();
        }
    }
}
