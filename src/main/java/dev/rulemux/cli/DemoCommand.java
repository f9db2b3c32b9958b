package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.demo.Demo;
import dev.rulemux.demo.DemoRefused;
import dev.rulemux.demo.Summary;
import dev.rulemux.domain.Durations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rulemux demo}: the bundled team, run to a summary, with nothing left running. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the bundled demo: three simulated coding agents of three tiers (architect, builder, tester) in a "
                + "private tmux session work through a dozen tasks with dependencies; one task hangs once, one needs an "
                + "approval, one fills its agent's context and is handed over. Every decision is printed with its reason.",
                "Ends with a summary table and the path of the logs; the tmux session is ended, nothing is left running. "
                        + "Needs Java and tmux only: no agent CLI, no key, no network."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--attach", description = "Watch the agents: your terminal shows the demo's tmux session while it runs "
            + "(Ctrl-b n: next agent; Ctrl-b d: back to the progress). The summary follows.")
    boolean attach;

    @Option(names = "--real", description = "Make the architect the real Claude Code and the builder the real Codex, "
            + "talking to rulemux's mock model server (install them once with scripts/install-clis).")
    boolean real;

    @Option(names = "--dir", paramLabel = "DIR", description = "Run in this (new or empty) directory instead of a new one "
            + "under the temp directory.")
    Path dir;

    @Option(names = "--max-time", paramLabel = "DURATION", defaultValue = "5m",
            description = "Stop after this long even when tasks remain (default ${DEFAULT-VALUE}).")
    String maxTime;

    @Option(names = "--isolation", paramLabel = "MODE", defaultValue = "none",
            description = "none: the agents share one directory (default); worktree: each agent works in a git worktree of "
                    + "the demo's own project, each task on a branch of its own, merged into the branch "
                    + dev.rulemux.demo.Demo.BASE + " once done.")
    String isolation;

    @Spec
    CommandSpec spec;

    private final App app;

    public DemoCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Duration limit = Durations.parse(maxTime);
        if (!isolation.equals("none") && !isolation.equals("worktree")) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, "--isolation must be none or worktree, not \"" + isolation + "\"");
        }
        out.println("rulemux demo: three simulated agents, " + (real ? "two of them the real Claude Code and Codex, " : "")
                + "twelve tasks; every decision below comes from the rules in rules/ with its reason.");
        out.flush();
        Demo.Result result;
        try {
            result = new Demo(new Demo.Options(dir, attach, real, limit, Duration.ofMillis(250),
                    isolation.equals("worktree")), out,
                    System.console() != null, app).run();
        } catch (DemoRefused | IllegalArgumentException e) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, e.getMessage());
        }
        print(out, result);
        return result.summary().green() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static void print(PrintWriter out, Demo.Result result) {
        Summary s = result.summary();
        out.println();
        TextTable tasks = new TextTable("task", "agent", "state", "tries", "time", "what rulemux did beyond sending it");
        for (Summary.TaskLine t : s.tasks()) {
            tasks.row(t.id(), t.agent(), Views.lower(t.state()), t.attempts(), t.time().isZero() ? "" : Views.age(t.time().toMillis()),
                    String.join(", ", t.happened()));
        }
        tasks.print(out);
        out.println();
        TextTable agents = new TextTable("agent", "prompts", "Enter again", "completed", "restarts");
        s.agents().forEach(a -> agents.row(a.name(), a.prompts(), a.enters(), a.completed(), a.restarts()));
        agents.print(out);
        out.println();
        String verdict = s.green() ? "✔ all " + s.tasks().size() + " tasks completed"
                : "✘ " + s.completed() + " of " + s.tasks().size() + " tasks completed" + (result.stopped() ? " (the run was stopped)" : "");
        out.println(verdict + " in " + Views.age(s.took().toMillis()) + ".");
        if (!result.branches().isEmpty()) {
            long merged = result.branches().stream().filter(b -> b.merge() == dev.rulemux.domain.MergeState.MERGED).count();
            out.println("git:    " + merged + " of " + result.branches().size() + " task branches merged into "
                    + dev.rulemux.demo.Demo.BASE + " in " + result.repo() + "  (git -C " + result.repo() + " log --graph "
                    + dev.rulemux.demo.Demo.BASE + ")");
            result.branches().stream().filter(b -> b.merge() != dev.rulemux.domain.MergeState.MERGED)
                    .forEach(b -> out.println("        " + Views.branchLine(b)));
        }
        out.println("logs:   " + result.logs() + "  (orchestration.log: every decision with its reason)");
        out.println("state:  rulemux status --config " + result.dir() + "   ·   rulemux events --config " + result.dir());
        out.println("tmux:   server " + result.socket() + " ended; nothing is left running.");
        out.flush();
    }
}
