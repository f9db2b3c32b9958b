package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.NOW;
import static dev.rulemux.rules.PolicySpec.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.HookEvent;
import dev.rulemux.domain.HookKind;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.StatusEvidence;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import org.junit.jupiter.api.Test;

/**
 * Specifies how the CLIs' own hook events (rules/hooks.drl) weigh against the screen (rules/status.drl): a hook
 * outranks the screen's idle and working evidence, and a screen that contradicts a hook older than hook_grace
 * (5 s in the spec team's policy) wins.
 */
class HookEvidenceTest {

    private static HookEvent hook(String agent, HookKind kind, String event, long msAgo) {
        return new HookEvent(agent, kind, event, NOW - msAgo);
    }

    private static StatusEvidence winner(PolicySpec.Verdict v, String agent) {
        return v.outcome().decision().evidence().stream().filter(e -> e.agent().equals(agent))
                .max(java.util.Comparator.comparingInt(StatusEvidence::rank)).orElseThrow();
    }

    @Test
    void givenAStopHookAfterTheLastPrompt_whileTheScreenStillShowsTheSpinner_thenTheTurnHasEndedAndTheTaskIsCompleted() {
        PolicySpec.Verdict v = spec().screen("claude", "claude-code/working", 200).assigned("claude", "arch")
                .delivered("claude", "arch", 1, 20_000, true)
                .fact(hook("claude", HookKind.TURN_ENDED, "Stop", 300)).decide();

        assertThat(v.status("claude")).isEqualTo(Status.IDLE);
        assertThat(v.reason("claude")).isEqualTo("hook Stop: its CLI ended the turn");
        assertThat(winner(v, "claude").source()).isEqualTo(StatusEvidence.Source.HOOK);
        assertThat(v.transitions()).extracting(TaskTransition::task, TaskTransition::to)
                .contains(org.assertj.core.groups.Tuple.tuple("arch", TaskState.COMPLETED));
    }

    @Test
    void givenAStopHookFromBeforeTheLastPrompt_thenItSaysNothingOfTheNewTurnAndTheScreenClassifies() {
        PolicySpec.Verdict v = spec().screen("claude", "claude-code/unsubmitted-paste", 3_000).assigned("claude", "arch")
                .delivered("claude", "arch", 1, 2_000, false)
                .fact(hook("claude", HookKind.TURN_ENDED, "Stop", 4_000)).decide();

        assertThat(v.status("claude")).isEqualTo(Status.AWAITING_SUBMIT);
        assertThat(winner(v, "claude").source()).isEqualTo(StatusEvidence.Source.SCREEN);
    }

    @Test
    void givenAPromptSubmittedOrCompactingHook_beforeTheScreenShowsIt_thenTheAgentIsWorkingAndGetsNoPrompt() {
        for (var h : new HookEvent[] {hook("claude", HookKind.PROMPT_SUBMITTED, "UserPromptSubmit", 500),
                hook("claude", HookKind.COMPACTING, "PreCompact", 500)}) {
            PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle", 500).fact(h).decide();

            assertThat(v.status("claude")).as(h.event()).isEqualTo(Status.WORKING);
            assertThat(v.reason("claude")).as(h.event()).startsWith("hook " + h.event());
            assertThat(v.actions(dev.rulemux.domain.ActionType.SEND_PROMPT)).as(h.event())
                    .noneMatch(a -> "claude".equals(a.agent()));
        }
    }

    @Test
    void givenAPromptSubmittedHookOlderThanTheGrace_andAnIdleScreen_thenTheScreenWins() {
        // a turn interrupted with Esc fires no Stop hook: the screen is the safety net
        PolicySpec.Verdict v = spec().screen("claude", "claude-code/idle", 50_000)
                .fact(hook("claude", HookKind.PROMPT_SUBMITTED, "UserPromptSubmit", 60_000)).decide();

        assertThat(v.status("claude")).isEqualTo(Status.IDLE);
        assertThat(winner(v, "claude").source()).isEqualTo(StatusEvidence.Source.SCREEN);
        assertThat(v.rulesFired()).contains("A hook older than hook_grace that the screen contradicts is overruled by the screen");
    }

    @Test
    void givenAPromptSubmittedHookOlderThanTheGrace_andAWorkingScreen_thenTheHookStillCounts() {
        // Claude Code shows its empty input box under the spinner: that idle evidence is outranked on the screen itself
        PolicySpec.Verdict v = spec().screen("claude", "claude-code/working", 200)
                .fact(hook("claude", HookKind.PROMPT_SUBMITTED, "UserPromptSubmit", 60_000)).decide();

        assertThat(v.status("claude")).isEqualTo(Status.WORKING);
        assertThat(winner(v, "claude").source()).isEqualTo(StatusEvidence.Source.HOOK);
    }

    @Test
    void givenAScreenTheProfileNoLongerRecognises_thenTheHooksStillClassifyTheAgent() {
        String changed = "Some future version of the CLI\n\n  ≫ ask me anything\n";
        PolicySpec.Verdict working = spec().text("claude", changed, 60_000)
                .fact(hook("claude", HookKind.PROMPT_SUBMITTED, "UserPromptSubmit", 60_000)).decide();
        PolicySpec.Verdict idle = spec().text("claude", changed, 60_000)
                .fact(hook("claude", HookKind.TURN_ENDED, "Stop", 60_000)).decide();
        PolicySpec.Verdict approval = spec().text("claude", changed, 60_000)
                .fact(hook("claude", HookKind.NEEDS_APPROVAL, "PermissionPrompt", 60_000)).decide();
        PolicySpec.Verdict none = spec().text("claude", changed, 60_000).decide();

        assertThat(none.status("claude")).isEqualTo(Status.UNKNOWN);
        assertThat(working.status("claude")).isEqualTo(Status.WORKING);
        assertThat(idle.status("claude")).isEqualTo(Status.IDLE);
        assertThat(approval.status("claude")).isEqualTo(Status.AWAITING_APPROVAL);
        assertThat(approval.reason("claude")).isEqualTo("hook PermissionPrompt: its CLI asks to approve a tool");
    }

    @Test
    void givenAStopHook_butADeadPane_thenTheAgentHasExited() {
        PolicySpec.Verdict v = spec().dead("claude", "claude-code/idle")
                .fact(hook("claude", HookKind.TURN_ENDED, "Stop", 100)).decide();

        assertThat(v.status("claude")).isEqualTo(Status.EXITED);
    }

    @Test
    void givenASessionStartHook_andAScreenTheProfileDoesNotKnow_thenTheAgentIsIdleAndGetsATask() {
        PolicySpec.Verdict v = spec().text("claude", "A new welcome screen\n\n  ≫\n", 20_000)
                .fact(hook("claude", HookKind.SESSION_STARTED, "SessionStart", 20_000)).decide();

        assertThat(v.status("claude")).isEqualTo(Status.IDLE);
        assertThat(v.reason("claude")).isEqualTo("hook SessionStart: its CLI started a session");
        assertThat(v.actions(dev.rulemux.domain.ActionType.SEND_PROMPT)).extracting(a -> a.agent() + "<-" + a.task())
                .contains("claude<-arch");
    }
}
