package dev.rulemux.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.domain.TaskState;
import dev.rulemux.sim.RealClis;
import dev.rulemux.sim.RealClis.Cli;
import dev.rulemux.terminal.Pane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resilience policies with the real CLIs, where a CLI can produce the case: a hung CLI (stopped with
 * SIGSTOP), a crash (kill -9), usage limits, a full context, approvals answered by policy.
 */
@Tag("realcli")
class RealCliResilienceTest {

    @TempDir
    Path dir;

    private static RunLoop.Options untilDone() {
        return new RunLoop.Options(false, true, Duration.ofMillis(250), Duration.ofSeconds(3), java.util.Set.of(), false,
                Duration.ofMinutes(10));
    }

    private static void signal(String signal, long pid) {
        dev.rulemux.proc.Exec.run(List.of("kill", "-" + signal, Long.toString(pid)), Duration.ofSeconds(5));
    }

    @Test
    void aHungClaudeCodeIsNudgedInterruptedThenRestartedAndItsTaskDone() throws Exception {
        try (RealTeam team = new RealTeam(dir, "a hung Claude Code")) {
            team.real("claude", Cli.CLAUDE, "claude-code", "high", "policy: {stuck_after: 3s}")
                    .underParentProcess()
                    .write("tasks:\n  - {id: t1, complexity: high, prompt: \"Think hard [mock work=20s]\"}\n");
            team.startAndAwaitReady();
            RunLoop loop = team.loop(untilDone());
            var exit = team.runInBackground(loop);
            team.awaitTask(loop, "t1", TaskState.IN_PROGRESS, RealTeam.GENEROUS);
            Pane pane = team.team().panes().get("claude");

            // the CLI hangs: every process of it stopped (its parent is not), nothing on its screen moves
            ProcessHandle parent = ProcessHandle.of(pane.pid()).orElseThrow();
            List<ProcessHandle> cli = parent.descendants().toList();
            assertThat(cli).as("the CLI under its parent").isNotEmpty();
            cli.forEach(p -> signal("STOP", p.pid()));

            assertThat(exit.get(10, java.util.concurrent.TimeUnit.MINUTES)).isZero();
            String log = team.log("orchestration.log");
            assertThat(log).contains("nudged claude: claude is stuck on t1", "interrupted claude: claude is still stuck on t1",
                    "restarted claude: claude is still stuck after a reminder and an interrupt");
            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(cli).as("the hung CLI is gone").noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void aCodexThatCrashesIsRestartedAndItsTaskGoesToItsBackup() throws Exception {
        try (RealTeam team = new RealTeam(dir, "a crashing Codex")) {
            team.real("codex", Cli.CODEX, "codex", "medium", "backup: fake", "policy: {restart_backoff: 1s}")
                    .sim("fake", "low")
                    .write("tasks:\n  - {id: t1, complexity: medium, prompt: \"Long work [mock work=30s]\"}\n");
            team.startAndAwaitReady();
            RunLoop loop = team.loop(untilDone());
            var exit = team.runInBackground(loop);
            team.awaitTask(loop, "t1", TaskState.IN_PROGRESS, RealTeam.GENEROUS);
            Pane pane = team.team().panes().get("codex");

            signal("KILL", pane.pid()); // the CLI dies

            assertThat(exit.get(10, java.util.concurrent.TimeUnit.MINUTES)).isZero();
            assertThat(team.log("orchestration.log")).contains("t1 IN_PROGRESS -> PENDING (for fake): codex exited",
                    "restarted codex: codex exited");
            assertThat(loop.board().record("t1").orElseThrow()).satisfies(r -> {
                assertThat(r.state()).isEqualTo(TaskState.COMPLETED);
                assertThat(r.lastAgent()).isEqualTo("fake");
            });
            dev.rulemux.tmux.PrivateTmux.await(RealTeam.GENEROUS, "codex back", () -> team.tmux().capture(team.team().panes().get("codex").id())
                    .contains("Ask Codex to do anything"));
        }
    }

    @Test
    void aCodexUsageLimitHoldsUntilItsResetThenTheTaskIsSentAgainWithNoPerson() throws Exception {
        try (RealTeam team = new RealTeam(dir, "a Codex usage limit")) {
            team.real("codex", Cli.CODEX, "codex", "medium")
                    .write("tasks:\n  - {id: t1, complexity: medium, prompt: \"Needs quota [mock limit=usage fail=1 resets=40s]\"}\n");
            team.startAndAwaitReady();
            RunLoop loop = team.loop(untilDone());

            assertThat(team.runToEnd(loop, Duration.ofMinutes(10))).isZero();

            assertThat(team.log("monitor.log")).contains("-> RATE_LIMITED: a limit or API error is shown: ■ You’ve hit your usage limit")
                    .containsPattern("\\(resets \\d{1,2}:\\d\\d [AP]M\\)");
            assertThat(team.log("orchestration.log")).contains("is over: t1 is sent to it again");
            assertThat(team.turns()).as(team.log("orchestration.log")).hasSize(2);
            assertThat(team.turns().get(1).prompt()).as("the task once, not twice").isEqualTo(team.turns().get(0).prompt());
            assertThat(loop.board().record("t1").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
        }
    }

    @Test
    void aClaudeCodeUsageLimitSendsTheTaskToTheBackup() throws Exception {
        try (RealTeam team = new RealTeam(dir, "a Claude Code usage limit")) {
            team.real("claude", Cli.CLAUDE, "claude-code", "high", RealClis.Options.defaults().withClaudeSubscription(true),
                            "backup: codex", "policy: {release_rate_limited_after: 3s}")
                    .real("codex", Cli.CODEX, "codex", "medium")
                    .write("tasks:\n  - {id: t1, complexity: high, prompt: \"Needs quota [mock limit=usage fail=1]\"}\n");
            team.startAndAwaitReady();
            RunLoop loop = team.loop(untilDone());

            assertThat(team.runToEnd(loop, Duration.ofMinutes(10))).isZero();

            // 2.1.332 opens no menu (2.1.197 did, answered by its usage-limit-menu dialog): it waits for the reset
            assertThat(team.log("orchestration.log")).contains("t1 IN_PROGRESS -> PENDING (for codex): claude has been rate limited for");
            assertThat(team.log("monitor.log")).containsPattern("claude .*-> RATE_LIMITED: .*\\(resets \\d{1,2}(:\\d\\d)?[ap]m( \\(UTC\\))?\\)");
            assertThat(loop.board().record("t1").orElseThrow().lastAgent()).isEqualTo("codex");
        }
    }

    @Test
    void aClaudeCodeWhoseContextIsFullIsClearedBeforeItTakesItsNextTask() throws Exception {
        try (RealTeam team = new RealTeam(dir, "a full context")) {
            team.real("claude", Cli.CLAUDE, "claude-code", "high")
                    .write("tasks:\n  - {id: t1, complexity: high, priority: high, prompt: \"Read everything [mock tokens=960000 work=12s]\"}\n"
                            + "  - {id: t2, complexity: high, depends_on: [t1], prompt: \"Then this\"}\n");
            team.startAndAwaitReady();
            RunLoop loop = team.loop(untilDone());

            assertThat(team.runToEnd(loop, Duration.ofMinutes(10))).isZero();

            String log = team.log("orchestration.log");
            // 2.1.332 shows "1% until auto-compact" at 960 000 tokens: 99% used (2.1.197: "98% context used")
            int cleared = log.indexOf("cleared claude (/clear): claude has used 99% of its context");
            assertThat(cleared).as(log).isPositive();
            assertThat(cleared).isPositive();
            assertThat(log.indexOf("sent t2 to claude")).isGreaterThan(cleared);
        }
    }

    @Test
    void codexApprovalsAreDeniedOrAcceptedAsItsPolicySays() throws Exception {
        try (RealTeam team = new RealTeam(dir, "approvals by policy")) {
            team.real("deny", Cli.CODEX, "codex", "medium", "approvals: deny")
                    .real("auto", Cli.CODEX, "codex", "low", "approvals: auto")
                    .write("tasks:\n  - {id: d, complexity: medium, prompt: \"Run it [mock tool=shell cmd=\\\"touch denied.txt\\\"]\"}\n"
                            + "  - {id: a, complexity: low, prompt: \"Run it [mock tool=shell cmd=\\\"touch allowed.txt\\\"]\"}\n");
            team.startAndAwaitReady();
            RunLoop loop = team.loop(untilDone());

            assertThat(team.runToEnd(loop, Duration.ofMinutes(10))).isZero();

            assertThat(team.log("orchestration.log")).contains("answered a dialog of deny with Escape", "answered a dialog of auto with Enter");
            assertThat(dir.resolve("work-deny/denied.txt")).doesNotExist();
            assertThat(dir.resolve("work-auto/allowed.txt")).exists();
        }
    }
}
