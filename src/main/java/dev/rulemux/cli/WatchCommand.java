package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.dashboard.TerminalDashboard;
import dev.rulemux.dashboard.TerminalSize;
import dev.rulemux.dashboard.Watch;
import dev.rulemux.store.StateStore;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux watch [--once] [--interval-ms MS] [--no-color]}: a live terminal dashboard. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"A live dashboard of the team in the terminal: each agent (status, task, context used, for how "
                + "long, why), the tasks counted by state, and the latest events, redrawn in place every interval "
                + "until Ctrl-C. It reads the state database, which rulemux run may be writing from another process; "
                + "nothing is captured from tmux, nothing is written.",
                "Plain ANSI escape codes on the terminal's alternate screen: it works in tmux and over ssh (ssh -t), "
                        + "and gives the screen back as it was on exit. The size comes from $COLUMNS and $LINES, else "
                        + "from stty, else 80x24; lines longer than the width are cut.",
                "When standard output is not a terminal, or with --once, it prints one frame and exits. Colours only "
                        + "on a terminal, and not with --no-color or $NO_COLOR."})
public final class WatchCommand implements Callable<Integer> {

    static final long MIN_INTERVAL_MS = 100;

    @Mixin
    ConfigOption config;

    @Option(names = "--once", description = "Print one frame and exit.")
    boolean once;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "1000",
            description = "Time between two refreshes (default ${DEFAULT-VALUE}, at least " + MIN_INTERVAL_MS + ").")
    long intervalMs;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "0",
            description = "Stop after N refreshes (default: until interrupted).")
    int frames;

    @Option(names = "--no-color", description = "No colours (also when $NO_COLOR is set).")
    boolean noColor;

    @Option(names = "--terminal", hidden = true,
            description = "Draw in place even when standard output is not a terminal (tests, script(1)).")
    boolean terminal;

    @Spec
    CommandSpec spec;

    private final App app;

    public WatchCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        if (intervalMs < MIN_INTERVAL_MS) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, "--interval-ms must be at least " + MIN_INTERVAL_MS + ", not " + intervalMs);
        }
        if (frames < 0) {
            throw new CommandRefused(ExitCodes.BAD_INPUT, "--frames must be 0 (until interrupted) or more, not " + frames);
        }
        StateAccess access = StateAccess.of(app, spec, config);
        boolean tty = terminal || System.console() != null;
        boolean color = tty && !noColor && app.env("NO_COLOR") == null;
        TerminalDashboard dashboard = new TerminalDashboard(access.dir().toAbsolutePath().normalize().toString(), color,
                ZoneId.systemDefault());
        try (StateStore store = access.openReadOnly()) {
            new Watch(store, access.declaredAgents(), access.hostsOfAgents(), dashboard, app.clock(), new TerminalSize(app::env), Thread::sleep)
                    .run(spec.commandLine().getOut(), new Watch.Settings(tty && !once, frames, intervalMs));
        }
        return ExitCodes.OK;
    }
}
