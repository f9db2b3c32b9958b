package dev.rulemux.rules;

import static dev.rulemux.rules.PolicySpec.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.Action;
import dev.rulemux.domain.ActionType;
import dev.rulemux.domain.HostDown;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.TaskTransition;
import org.junit.jupiter.api.Test;

/**
 * rules/hosts.drl: an agent whose host's connection is down is unknown, a person is told, and its task in flight is
 * held for host_grace (2m), then goes to its backup on a host that is up, or back to the queue. Team as in
 * {@link PolicyDecisionsTest}: claude's backup is codex, codex's is claude, gemini has none.
 */
class HostsPolicyTest {

    private static final long GRACE_MS = 120_000;

    private static HostDown down(String agent, String host, long forMs) {
        return new HostDown(agent, host, PolicySpec.NOW - forMs, "Connection refused");
    }

    @Test
    void givenClaudesHostDownForLessThanHostGrace_thenClaudeIsUnknown_aPersonIsTold_andItsTaskIsHeld() {
        PolicySpec.Verdict v = spec().assigned("claude", "arch").fact(down("claude", "box", 5_000)).decide();

        assertThat(v.status("claude")).isEqualTo(Status.UNKNOWN);
        assertThat(v.reason("claude")).isEqualTo("its host box is down: Connection refused");
        assertThat(v.actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(ActionType.ALERT);
            assertThat(a.agent()).isEqualTo("claude");
            assertThat(a.reason()).isEqualTo("claude's host box is down (Connection refused): rulemux reconnects by itself; "
                    + "its tasks wait host_grace (120 s) before they go elsewhere");
        });
        assertThat(v.transitions()).as("held: the agent works on there, out of sight").isEmpty();
    }

    @Test
    void givenClaudesHostDownForHostGrace_whenItsBackupsHostIsUp_thenItsTaskGoesToTheBackup() {
        PolicySpec.Verdict v = spec().assigned("claude", "arch").fact(down("claude", "box", GRACE_MS)).decide();

        assertThat(v.transitions()).singleElement().satisfies(t -> {
            assertThat(t.task()).isEqualTo("arch");
            assertThat(t.to()).isEqualTo(TaskState.PENDING);
            assertThat(t.target()).isEqualTo("codex");
            assertThat(t.reason()).isEqualTo("claude's host box has been down for 120 s: arch goes to its backup codex");
        });
        assertThat(v.actions()).extracting(Action::type).containsExactly(ActionType.ALERT);
    }

    @Test
    void givenClaudesHostDownForHostGrace_whenItsBackupIsOnAHostThatIsDownToo_thenItsTaskGoesBackToTheQueue() {
        PolicySpec.Verdict v = spec().assigned("claude", "arch").fact(down("claude", "box", GRACE_MS))
                .fact(down("codex", "box", GRACE_MS)).decide();

        assertThat(v.transitions()).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(TaskState.PENDING);
            assertThat(t.target()).isNull();
            assertThat(t.reason()).isEqualTo("claude's host box has been down for 120 s: arch goes back to the queue");
        });
        assertThat(v.actions()).extracting(Action::type).containsExactly(ActionType.ALERT, ActionType.ALERT);
    }

    @Test
    void givenGeminisHostDownForHostGrace_whenGeminiHasNoBackup_thenItsTaskGoesBackToTheQueue() {
        PolicySpec.Verdict v = spec().assigned("gemini", "arch").fact(down("gemini", "gpu-box", GRACE_MS + 1_000)).decide();

        assertThat(v.transitions()).extracting(TaskTransition::reason)
                .containsExactly("gemini's host gpu-box has been down for 121 s: arch goes back to the queue");
        assertThat(v.actions()).extracting(Action::type).containsExactly(ActionType.ALERT);
    }

    @Test
    void givenATaskAgentReportedDone_whenItsHostIsDownForHostGrace_thenTheReportDecidesNotTheHost() {
        PolicySpec.Verdict v = spec().assigned("gemini", "arch").report("arch", dev.rulemux.domain.ReportOutcome.DONE, "ok", "gemini")
                .fact(down("gemini", "gpu-box", GRACE_MS)).decide();

        assertThat(v.transitions()).extracting(TaskTransition::reason).noneMatch(r -> r.contains("goes back to the queue"));
        assertThat(v.actions(ActionType.ALERT)).hasSize(1);
    }
}
