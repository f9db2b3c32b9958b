package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.board.Journal;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.config.Config;
import dev.rulemux.config.Retention;
import dev.rulemux.loop.EventLog;
import dev.rulemux.loop.RunLoop;
import dev.rulemux.loop.Team;
import dev.rulemux.rules.LivePolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux start}: the team's tmux session, one window per agent, startup dialogs answered by policy. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Create the tmux session with one window per agent, each running its command in its workdir with its env. "
                + "Idempotent: an existing session is reused and missing windows are made again.",
                "Then watch the agents until they are ready, answering startup dialogs as the policy decides."})
public final class StartCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to watch for startup dialogs before returning (default ${DEFAULT-VALUE}; 0s: do not watch).")
    String waitFor;

    @Spec
    CommandSpec spec;

    private final App app;

    public StartCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration wait = dev.rulemux.domain.Durations.parse(waitFor);
        // the policy watches for start-up dialogs; without a wait it is not built, so not read ahead either
        Config cfg = wait.isZero() ? app.loadConfig(config.dir()) : app.loadConfigAndPolicy(config.dir());
        Views.warnTrustedWorkdirs(spec.commandLine().getErr(), cfg);
        Team team = app.team(cfg);
        List<String> launched = team.start();
        out.println(launched.isEmpty() ? "session " + cfg.team().session() + ": every agent was already running"
                : "session " + cfg.team().session() + ": started " + String.join(", ", launched));
        if (wait.isZero()) {
            return ExitCodes.OK;
        }
        try (LivePolicy policy = app.livePolicy(cfg);
             EventLog log = app.eventLog(cfg.dir().resolve("logs"), out, false, Journal.NONE, Retention.DEFAULT);
             RunLoop loop = app.loop(cfg, policy, team, new MemoryTaskBoard(List.of(), app.clock()), log,
                     RunLoop.Options.startup(wait))) {
            return loop.run() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
