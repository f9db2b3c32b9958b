package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.config.Config;
import dev.rulemux.loop.Team;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux stop}: each CLI asked to exit, then the session killed; nothing else is touched. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Ask each agent's CLI to exit (its profile's stop keys), wait for them, then kill the tmux session. "
                + "Nothing outside the session is killed.")
public final class StopCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long the CLIs get to exit by themselves (default ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--clean", description = "Then remove the agents' git worktrees (isolation: worktree) that are clean and "
            + "whose branch is merged; a worktree with changes, untracked files or unmerged work is kept and listed.")
    boolean clean;

    @Spec
    CommandSpec spec;

    private final App app;

    public StopCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = app.loadConfig(config.dir());
        Team team = app.team(cfg);
        if (!team.terminal().hasSession(cfg.team().session())) {
            out.println("session " + cfg.team().session() + " is not running");
        } else {
            List<String> stubborn = team.stop(dev.rulemux.domain.Durations.parse(grace));
            out.println("session " + cfg.team().session() + " stopped"
                    + (stubborn.isEmpty() ? "" : " (" + String.join(", ", stubborn) + " did not exit by themselves and were ended)"));
        }
        if (clean) {
            cleanWorktrees(cfg, out);
        }
        return ExitCodes.OK;
    }

    /** Removes the worktrees git can remove without force (clean, merged); lists the others and why they stay. */
    private void cleanWorktrees(Config cfg, PrintWriter out) {
        try (dev.rulemux.store.StateStore store = app.store(cfg)) {
            List<String> done = dev.rulemux.loop.Worktrees.clean(cfg, store.branches(), true);
            if (done.isEmpty()) {
                out.println("no worktrees to clean");
            }
            done.forEach(out::println);
        }
    }
}
