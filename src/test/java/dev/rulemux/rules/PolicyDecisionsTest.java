package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.Answer;
import dev.rulemux.domain.HandoffNote;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the shipped policy decides for recorded screens of the real CLIs. The spec team: claude (high,
 * backup codex, approvals auto), codex (medium, backup claude, approvals ask), gemini (high, approvals deny,
 * startup dialogs ask), sim (low), shell (low). Tasks: arch (high, priority high), feat (medium, after arch),
 * small (medium, priority high), tests (low, priority low), lint (low, priority high).
 */
class PolicyDecisionsTest {

    private static List<String> sent(PolicySpec.Verdict v) {
        return v.actions(ActionType.SEND_PROMPT).stream().map(a -> a.agent() + "<-" + a.task()).toList();
    }

    @Nested
    class Dispatch {

        @Test
        void anIdleAgentGetsTheMostUrgentReadyTaskOfItsTier() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle").decide();

            assertThat(sent(v)).containsExactly("claude<-arch");
            assertThat(v.actions(ActionType.SEND_PROMPT).get(0).reason())
                    .isEqualTo("claude is idle with nothing in flight, and arch is the most urgent ready high task (priority high)");
        }

        @Test
        void aWorkingAgentNeverGetsAPrompt() {
            for (String busy : List.of("claude-code/working", "claude-code/streaming", "claude-code/approval",
                    "claude-code/rate-limited", "claude-code/unsubmitted-paste", "claude-code/trust-dialog", "claude-code/exited")) {
                assertThat(sent(spec().screen("claude", busy).decide())).as(busy).isEmpty();
            }
        }

        @Test
        void aTaskWaitsForItsDependenciesAndPriorityDecidesAmongTheReadyOnes() {
            assertThat(sent(spec().screen("codex", "codex/finished").decide())).as("feat waits for arch").containsExactly("codex<-small");
            assertThat(sent(spec().screen("codex", "codex/finished").done("arch", "small").decide())).containsExactly("codex<-feat");
        }

        @Test
        void oneTaskPerAgentAndOneAgentPerTaskInATick() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle").screen("gemini", "gemini/idle").decide();

            assertThat(sent(v)).as("two idle high agents, one high task").containsExactly("claude<-arch");
        }

        @Test
        void idleAgentsOfEveryTierEachTakeTheirOwnTiersMostUrgentTaskInOneTick() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle").screen("codex", "codex/finished")
                    .screen("shell", "shell/idle", 5000, "bash").decide();

            assertThat(sent(v)).containsExactlyInAnyOrder("claude<-arch", "codex<-small", "shell<-lint");
        }

        @Test
        void anAgentWithATaskInFlightGetsNoOtherEvenWhenIdle() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle").assigned("claude", "arch").decide();

            assertThat(sent(v)).isEmpty();
        }
    }

    @Nested
    class Delivery {

        @Test
        void aPromptInFlightLeftInTheInputBoxGetsEnterPressed() {
            for (String[] c : new String[][] {{"claude", "claude-code/unsubmitted-long-prompt", "arch"},
                    {"claude", "claude-code/unsubmitted-paste", "arch"}, {"codex", "codex/unsubmitted-long-prompt", "small"},
                    {"codex", "codex/unsubmitted-paste", "small"}, {"gemini", "gemini/unsubmitted-short-prompt", "arch"}}) {
                PolicySpec.Verdict v = spec().screen(c[0], c[1]).assigned(c[0], c[2]).decide();
                assertThat(v.actions()).as(c[1]).containsExactly(Action.pressEnter(c[0], c[2],
                        "the prompt of " + c[2] + " sits unsubmitted in " + c[0] + "'s input box"));
            }
        }

        @Test
        void enterIsNotPressedAgainBeforeEnterRetryAfterNorMoreThanMaxEnterPresses() {
            assertThat(spec().screen("codex", "codex/unsubmitted-paste").assigned("codex", "small")
                    .delivered("codex", "small", 1, 200, false).decide().actions()).isEmpty();
            assertThat(spec().screen("codex", "codex/unsubmitted-paste").assigned("codex", "small")
                    .delivered("codex", "small", 2, 2000, false).decide().actions(ActionType.PRESS_ENTER)).hasSize(1);
            PolicySpec.Verdict gaveUp = spec().screen("codex", "codex/unsubmitted-paste").assigned("codex", "small")
                    .delivered("codex", "small", 4, 2000, false).decide();
            assertThat(gaveUp.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.ALERT);
                assertThat(a.reason()).contains("after Enter was pressed 4 times");
            });
        }

        @Test
        void aDraftThatIsNotTheAgentsTaskIsLeftAlone() {
            assertThat(spec().screen("codex", "codex/unsubmitted-short-prompt").decide().actions()).isEmpty();
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void aTaskIsInProgressOnceItsAgentIsSeenAtWorkAndCompletedWhenItIsIdleAgain() {
            assertThat(spec().screen("codex", "codex/working").inState("small", TaskState.ASSIGNED, "codex")
                    .delivered("codex", "small", 1, 3000, true).decide().transitions())
                    .extracting(TaskTransition::to).containsExactly(TaskState.IN_PROGRESS);
            assertThat(spec().screen("codex", "codex/finished").assigned("codex", "small")
                    .delivered("codex", "small", 1, 3000, true).decide().transitions())
                    .extracting(TaskTransition::to).containsExactly(TaskState.COMPLETED);
        }

        @Test
        void anAgentWhoseTurnJustEndedTakesItsNextTaskInTheSameTick() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/finished").assigned("codex", "small").done("arch")
                    .delivered("codex", "small", 1, 3000, true).decide();

            assertThat(sent(v)).containsExactly("codex<-feat");
        }

        @Test
        void aTaskWhoseDependencyCompletesInThisTickIsDispatchedInThisTick() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/finished").assigned("claude", "arch")
                    .delivered("claude", "arch", 1, 3000, true).screen("codex", "codex/idle").done("small").decide();

            assertThat(v.transitions()).extracting(TaskTransition::task).containsExactly("arch");
            assertThat(sent(v)).containsExactly("codex<-feat");
        }

        @Test
        void aPromptNeverSeenAtWorkIsNotTakenForDone() {
            assertThat(spec().screen("codex", "codex/finished").inState("small", TaskState.ASSIGNED, "codex")
                    .delivered("codex", "small", 1, 3000, false).decide().transitions()).isEmpty();
        }
    }

    @Nested
    class Handoff {

        @Test
        void at98PercentWithATaskInFlightTheTaskGoesToTheBackup() {
            PolicySpec.Verdict claude = spec().screen("claude", "claude-code/context-98").assigned("claude", "arch").decide();
            assertThat(claude.actions()).containsExactly(Action.handoff("claude", "arch", "codex",
                    "claude has used 98% of its context (hand over at 98%): arch goes to its backup codex"));
            assertThat(claude.transitions()).containsExactly(TaskTransition.handTo("arch", "codex",
                    "claude has used 98% of its context (hand over at 98%): arch goes to its backup codex"));

            PolicySpec.Verdict codex = spec().screen("codex", "codex/context-98").assigned("codex", "small").decide();
            assertThat(codex.actions(ActionType.HANDOFF)).singleElement().satisfies(a -> assertThat(a.target()).isEqualTo("claude"));
        }

        @Test
        void at90PercentAnAgentAtWorkIsAskedToPrepareAHandoffNote() {
            // codex at work, its footer at 10% left (the working screen, with the meter of context-90)
            String atWork = PolicySpec.read("codex/working").replace("Context 100% left", "Context 10% left");
            PolicySpec.Verdict v = spec().text("codex", atWork, 500).assigned("codex", "small").decide();

            assertThat(v.actions()).extracting(Action::type).containsExactly(ActionType.PREPARE_HANDOFF);
            assertThat(spec().screen("codex", "codex/context-90").assigned("codex", "small").decide().actions())
                    .as("after its turn the task is done: nothing to hand over").extracting(Action::type)
                    .doesNotContain(ActionType.PREPARE_HANDOFF);
        }

        @Test
        void aTaskWhoseTurnEndsInTheTickItsHandoffNoteIsFoundIsCompletedNotHandedOver() {
            // given codex idle again at 90 % used after working on small, and its handoff note for small written
            PolicySpec.Verdict v = spec().screen("codex", "codex/context-90").assigned("codex", "small")
                    .delivered("codex", "small", 1, 3000, true)
                    .fact(new HandoffNote("codex", "small", "/h/codex-small.md", true)).decide();

            // then small is done: nothing is handed over, and codex takes no new task with its context nearly full
            assertThat(v.transitions()).extracting(TaskTransition::to).containsExactly(TaskState.COMPLETED);
            assertThat(v.actions(ActionType.HANDOFF)).isEmpty();
            assertThat(v.actions(ActionType.SEND_PROMPT)).isEmpty();
        }

        @Test
        void anIdleAgentPastPrepareHandoffAtIsClearedRatherThanGivenATaskItWouldHandOverAtOnce() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/context-90").decide();

            assertThat(v.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.HANDOFF);
                assertThat(a.task()).isNull();
                assertThat(a.reason()).contains("has used 90% of its context: it is cleared before it takes new work");
            });
        }

        @Test
        void anIdleAgentWithAFullContextIsClearedBeforeItGetsNewWork() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/context-98").decide();

            assertThat(v.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.HANDOFF);
                assertThat(a.task()).isNull();
                assertThat(a.reason()).contains("cleared before it takes new work");
            });
        }

        @Test
        void anAgentWithNoBackupRaisesAnAlertInstead() {
            PolicySpec.Verdict v = spec().text("gemini", PolicySpec.read("gemini/idle").replace(" 0% used", "99% used"), 5000)
                    .assigned("gemini", "arch").decide();

            assertThat(v.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.ALERT);
                assertThat(a.reason()).contains("has no backup");
            });
        }
    }

    @Nested
    class Dialogs {

        @Test
        void approvalsAreAnsweredPerTheAgentsPolicy() {
            assertThat(spec().screen("claude", "claude-code/approval").decide().actions()).singleElement()
                    .satisfies(a -> {
                        assertThat(a.type()).isEqualTo(ActionType.ANSWER_DIALOG);
                        assertThat(a.keys()).containsExactly("Enter");
                    });
            assertThat(spec().screen("codex", "codex/approval").decide().actions()).extracting(Action::type)
                    .as("approvals: ask: a person is needed").containsExactly(ActionType.NEEDS_INPUT);
            assertThat(spec().screen("gemini", "gemini/approval").decide().actions()).singleElement()
                    .satisfies(a -> assertThat(a.keys()).containsExactly("Escape"));
        }

        @Test
        void givenAnApprovalDialogOfAnAgentWhoseApprovalsAreAsk_whenDecided_thenOneNeedsInputSaysWhoWaitsAndWhyAndNoOtherAlert() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/approval").decide();

            assertThat(v.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.NEEDS_INPUT);
                assertThat(a.agent()).isEqualTo("codex");
                assertThat(a.reason()).startsWith("codex asks for approval (approvals: ask): ");
            });
            assertThat(v.rulesFired()).contains("An approval dialog of an agent whose approvals are ask is shown to a person");
        }

        @Test
        void startupDialogsAreAnsweredPerTheAgentsPolicy() {
            assertThat(spec().screen("claude", "claude-code/trust-dialog").decide().actions()).singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("startup dialog trust-folder"))
                    .satisfies(a -> assertThat(a.keys()).containsExactly("Enter"));
            // 2.1.332 selects "❯ No, exit" first: Enter would exit
            assertThat(spec().screen("claude", "claude-code-2.1.332/trust-dialog").decide().actions()).singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("startup dialog trust-folder-no-selected"))
                    .satisfies(a -> assertThat(a.keys()).containsExactly("Down", "Enter"));
            assertThat(spec().screen("codex", "codex/trust-dialog").decide().actions(ActionType.ANSWER_DIALOG)).hasSize(1);
            assertThat(spec().screen("gemini", "gemini/trust-dialog").decide().actions()).extracting(Action::type)
                    .as("startup_dialogs: ask: a person is needed").containsExactly(ActionType.NEEDS_INPUT);
        }

        @Test
        void givenAStartupDialogOfAnAgentWhoseStartupDialogsAreDeny_whenDecided_thenItIsDeclinedWithTheProfilesDeclineKeys() {
            PolicySpec.Verdict v = spec().screen("codex", "codex/trust-dialog").startupDialogs("codex", Answer.DENY).decide();

            assertThat(v.actions(ActionType.ANSWER_DIALOG)).singleElement().satisfies(a -> {
                assertThat(a.agent()).isEqualTo("codex");
                assertThat(a.keys()).containsExactly("Escape");
                assertThat(a.reason()).startsWith("codex shows startup dialog trust-folder and its startup dialogs are deny: ");
            });
            assertThat(v.rulesFired()).contains("A startup dialog of an agent whose startup dialogs are deny is declined");
        }
    }

    @Nested
    class Classification {

        private static final String NOTHING_RECOGNISABLE = "\n   loading\n\n";

        @Test
        void givenAScreenWithNothingOfItsProfileOnIt_whenDecided_thenTheAgentIsUnknown() {
            PolicySpec.Verdict v = spec().text("codex", NOTHING_RECOGNISABLE, 5_000).decide();

            assertThat(v.status("codex")).isEqualTo(Status.UNKNOWN);
            assertThat(v.reason("codex")).isEqualTo("no marker of its profile is on the screen");
        }

        @Test
        void givenACliLaunchedMomentsAgoShowingNothingRecognisable_whenDecided_thenItIsStartingUntilStartupGraceHasPassed() {
            PolicySpec.Verdict fresh = spec().launched("codex", NOTHING_RECOGNISABLE, 5_000).decide();
            assertThat(fresh.status("codex")).isEqualTo(Status.STARTING);
            assertThat(fresh.reason("codex")).isEqualTo("launched moments ago and not ready yet");

            assertThat(spec().launched("codex", NOTHING_RECOGNISABLE, 60_000).decide().status("codex"))
                    .as("past startup_grace (30s)").isEqualTo(Status.UNKNOWN);
        }
    }

    @Nested
    class Stuck {

        @Test
        void aWorkingAgentWhoseScreenHasNotChangedForStuckAfterIsStuckAndNudged() {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/working", 200_000).assigned("claude", "arch").decide();

            assertThat(v.status("claude")).isEqualTo(Status.STUCK);
            assertThat(v.actions()).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(ActionType.NUDGE);
                assertThat(a.task()).isEqualTo("arch");
            });
        }

        @Test
        void aScreenThatChangesIsNeverStuck() {
            assertThat(spec().screen("claude", "claude-code/working", 900).assigned("claude", "arch").decide().status("claude"))
                    .isEqualTo(Status.WORKING);
        }

        @Test
        void anAgentsOwnStuckAfterOverridesTheDefault() {
            // gemini has policy stuck_after: 5m in the repo's agents.yaml; the spec team uses the default 3m
            assertThat(spec().screen("gemini", "gemini/working", 190_000).decide().status("gemini")).isEqualTo(Status.STUCK);
            assertThat(spec().screen("gemini", "gemini/working", 170_000).decide().status("gemini")).isEqualTo(Status.WORKING);
        }
    }
}
