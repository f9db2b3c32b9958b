package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.proc.SelfCommand;
import dev.rulemux.tmux.PrivateTmux;
import dev.rulemux.tmux.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rulemux demo}: the bundled team, on simulated agents, to a green summary, with nothing left running. */
class DemoCommandIT {

    /** A bound for a demo that hangs, not a statement of speed: a loaded machine may take many times longer. */
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(15);

    @TempDir
    Path temp;

    private static Set<Long> simAgents() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("sim-agent")).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static String socketOf(String out) {
        Matcher m = Pattern.compile("tmux: +server (\\S+) ended").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    @Test
    void theDemoRunsADozenTasksThroughAHangAnApprovalAndAHandoffToAGreenSummaryAndLeavesNothingRunning() {
        PrivateTmux.start().close(); // skips when tmux is missing
        Set<Long> before = simAgents();
        Path dir = temp.resolve("run");

        // when the demo runs to its end (about a minute on a quiet machine; the bound is for a demo that never ends)
        Cli demo = CompletableFuture.supplyAsync(() -> Cli.run("demo", "--dir", dir.toString()))
                .orTimeout(DEMO_TIMEOUT.toMinutes(), TimeUnit.MINUTES).join();

        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        String out = demo.out();
        assertThat(out).contains("✔ all 12 tasks completed", "logs:   " + dir.resolve("logs"));
        // every case the demo is there to show, in its summary table
        assertThat(out).containsPattern("(?m)^lint-setup +tester +completed .*approval answered$")
                .containsPattern("(?m)^search-index +tester +completed +2 .*hung: nudged, interrupted, sent again$")
                .containsPattern("(?m)^migrations +builder +completed +2 .*architect's context filled: handoff note, handed over to builder$");
        // the decisions came with their reasons, live
        assertThat(out).contains("sent design-api to architect", "nudged tester: tester is stuck on search-index");
        assertThat(dir.resolve("logs/orchestration.log")).content().contains("all tasks are done: 12 completed");
        assertThat(dir.resolve("handoff/architect-migrations.md")).exists();
        assertThat(dir.resolve("ORCHESTRATION_STATUS.md")).content().contains("No task is pending or in flight.");
        // nothing left running
        assertThat(new Tmux(socketOf(out), false).hasSession("demo")).isFalse();
        assertThat(simAgents()).as("no simulated agent outlives the demo").isSubsetOf(before);
        try (dev.rulemux.store.StateStore store = dev.rulemux.store.StateStore.open(dir)) {
            assertThat(store.agents()).as("the last record of each agent has no task on it").hasSize(3)
                    .allSatisfy(a -> assertThat(a.task()).isNull());
        }
        // and the run can be looked at afterwards
        Cli status = Cli.run("status", "--config", dir.toString());
        assertThat(status.out()).contains("design-api", "completed");
    }

    @Test
    void withIsolationWorktreeEveryTasksWorkEndsUpMergedIntoTheBaseBranch() {
        PrivateTmux.start().close(); // skips when tmux is missing
        Path dir = temp.resolve("isolated");

        // when the demo runs with each agent in a worktree of its own
        Cli demo = CompletableFuture.supplyAsync(() -> Cli.run("demo", "--dir", dir.toString(), "--isolation", "worktree"))
                .orTimeout(DEMO_TIMEOUT.toMinutes(), TimeUnit.MINUTES).join();

        // then every task completed and its branch was merged into the base branch, with its work in it
        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("✔ all 12 tasks completed", "git:    12 of 12 task branches merged into team");
        Path repo = dir.resolve("project");
        String tree = dev.rulemux.git.GitRepo.gitIn(repo, "ls-tree", "-r", "--name-only", "team");
        for (String task : List.of("design-api", "data-model", "lint-setup", "routes", "unit-tests", "fixtures", "error-shape",
                "review", "docs", "search-index", "migrations", "changelog")) {
            assertThat(tree).contains("notes/" + task + ".md");
        }
        assertThat(dev.rulemux.git.GitRepo.gitIn(repo, "log", "--format=%s", "team")).contains("Merge rulemux/architect/design-api into team");
        // and the project's own checkout was never touched
        assertThat(dev.rulemux.git.GitRepo.gitIn(repo, "status", "--porcelain")).isEmpty();
        assertThat(dev.rulemux.git.GitRepo.gitIn(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("main");
        Cli status = Cli.run("status", "--config", dir.toString());
        assertThat(status.out()).contains("BRANCH", "rulemux/architect/design-api -> team", "MERGED");
    }

    @Test
    void attachShowsTheAgentsInTheTerminalThenTheSummaryWhenTheRunIsOver() {
        // given a terminal (a pane of a tmux server of the test's own, itself inside tmux or not)
        try (PrivateTmux terminal = PrivateTmux.start()) {
            List<String> argv = new ArrayList<>(SelfCommand.resolve(List.of("rulemux")));
            argv.addAll(List.of("demo", "--attach", "--dir", temp.resolve("attached").toString()));
            String pane = terminal.tmux.newSession("user", "shell", temp, Map.of(), argv, 200, 50);

            // when the demo runs attached, the terminal shows the demo's own tmux session: an agent's screen
            terminal.awaitScreen(pane, Duration.ofMinutes(5), "an agent's screen in the user's terminal",
                    s -> s.contains("context used") && s.contains("[demo]"));

            // then, once every task is done, the terminal is handed back and shows the summary
            String end = terminal.awaitScreen(pane, DEMO_TIMEOUT, "the summary", s -> s.contains("nothing is left running"));
            assertThat(end).contains("✔ all 12 tasks completed");
            assertThat(new Tmux(socketOf(end), false).hasSession("demo")).isFalse();
        }
    }
}
