package dev.rulemux;

import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.config.Retention;
import dev.rulemux.loop.EventLog;
import dev.rulemux.loop.RunLoop;
import dev.rulemux.loop.Sleeper;
import dev.rulemux.loop.Team;
import dev.rulemux.terminal.Terminal;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.rules.PolicyPrefetch;
import dev.rulemux.rules.PolicyEngine;
import dev.rulemux.rules.RuleFile;
import dev.rulemux.ssh.SshCommand;
import dev.rulemux.terminal.HostRouter;
import dev.rulemux.tmux.RemoteTmux;
import dev.rulemux.tmux.Tmux;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The services the commands use, built once by {@link Main}. Commands ask this for what they need
 * instead of constructing it, so tests can run every command in-process with their own clock. The clock and the
 * sleeper are the run's only ones: nothing in the loop reads the system clock or sleeps on its own.
 */
public class App {

    private final Clock clock;
    private final java.util.Map<String, String> env;
    private final Sleeper sleeper;
    /** The compiled policy being read for the command's next policy, if {@link #loadConfigAndPolicy} started it. */
    private volatile PolicyPrefetch prefetch;

    public App(Clock clock) {
        this(clock, System.getenv());
    }

    /** With {@code env} in place of the process's environment (tests: {@code RULEMUX_AGENT}). */
    public App(Clock clock, java.util.Map<String, String> env) {
        this(clock, env, Sleeper.REAL);
    }

    /** With {@code sleeper} making every wait of the loop (tests: one that moves a fake clock on). */
    public App(Clock clock, java.util.Map<String, String> env, Sleeper sleeper) {
        this.clock = clock;
        this.env = java.util.Map.copyOf(env);
        this.sleeper = sleeper;
    }

    /** An environment variable, or null when unset or blank. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    public Clock clock() {
        return clock;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    /** Reads and validates the config directory; throws {@link dev.rulemux.config.ConfigException}. */
    public Config loadConfig(Path dir) {
        return ConfigLoader.load(dir);
    }

    /**
     * Reads and validates the config directory, as {@link #loadConfig(Path)}, for a command that then builds its
     * policy ({@link #compilePolicy}, {@link #livePolicy}): meanwhile, on another thread, the compiled policy is read
     * from the cache (see {@link PolicyPrefetch}), so that a cold start does both at once.
     */
    public Config loadConfigAndPolicy(Path dir) {
        prefetch = PolicyPrefetch.start(dev.rulemux.config.Sources.forConfigDir(dir));
        return ConfigLoader.load(dir);
    }

    /** Compiles the policy the config directory sees; throws {@link dev.rulemux.rules.RuleCompileException}. */
    public PolicyEngine compilePolicy(Config config) {
        return PolicyEngine.compileWith(RuleFile.from(config.sources()), takePrefetch());
    }

    /** The policy of a live run, rebuilt when its files change. */
    public LivePolicy livePolicy(Config config) {
        return LivePolicy.load(config.sources(), takePrefetch());
    }

    private PolicyPrefetch takePrefetch() {
        PolicyPrefetch p = prefetch;
        prefetch = null;
        return p;
    }

    /**
     * The tmux server the team lives on. Per-tick reads go through one tmux control-mode client unless
     * {@code RULEMUX_TMUX_CONTROL=off} (then each read is a tmux process, as in rulemux's benchmark baseline).
     */
    public Tmux tmux(Config config) {
        return new Tmux(config.team().socket(), !"off".equalsIgnoreCase(System.getenv("RULEMUX_TMUX_CONTROL")));
    }

    /**
     * The terminal the team lives in: the tmux server of this machine, and, when agents name a {@code host}, one
     * ssh connection per host carrying a tmux control-mode client there, behind one {@link HostRouter}.
     */
    public Terminal terminal(Config config) {
        return terminal(config, tmux(config));
    }

    /** As {@link #terminal(Config)}, with {@code local} as this machine's terminal (a tmux server of the caller's own). */
    public Terminal terminal(Config config, Terminal local) {
        java.util.List<String> hosts = config.team().hosts();
        if (hosts.isEmpty()) {
            return local;
        }
        SshCommand ssh = SshCommand.of(config.team().sshConfig());
        java.util.Map<String, Terminal> links = new java.util.LinkedHashMap<>();
        hosts.forEach(h -> links.put(h, new RemoteTmux(h, config.team().socket(), ssh, clock)));
        java.util.Map<String, String> hostOf = new java.util.HashMap<>();
        config.team().agents().stream().filter(a -> a.host() != null).forEach(a -> hostOf.put(a.name(), a.host()));
        return new HostRouter(local, links, hostOf, Team.WIDTH, Team.HEIGHT);
    }

    /** The state database of the config directory (made when missing); throws {@link dev.rulemux.store.StoreException}. */
    public dev.rulemux.store.StateStore store(Config config) {
        return store(config.dir());
    }

    /** The state database of the config directory {@code dir} (made when missing), its changes timed by this clock. */
    public dev.rulemux.store.StateStore store(Path dir) {
        return dev.rulemux.store.StateStore.open(dir, clock);
    }

    /** The team of {@code config} on its tmux server. */
    public Team team(Config config) {
        return team(config, terminal(config));
    }

    /** The team of {@code config} in {@code terminal} (a tmux server of the caller's own: the demo, the benches). */
    public Team team(Config config, Terminal terminal) {
        return new Team(config, terminal, clock, sleeper);
    }

    /** What a run tells people: the log files in {@code logsDir}, the console, and {@code journal}. */
    public EventLog eventLog(Path logsDir, PrintWriter console, boolean inPlace, Journal journal, Retention retention) {
        return new EventLog(logsDir, console, inPlace, clock, journal, retention);
    }

    /**
     * The one place a run is wired: the loop over {@code team}, deciding by {@code policy}, keeping its tasks on
     * {@code board} and telling {@code log}, on this application's clock and sleeper. {@code rulemux run},
     * {@code rulemux start}, the demo and the benches all build their runs here.
     */
    public RunLoop loop(Config config, LivePolicy policy, Team team, TaskBoard board, EventLog log, RunLoop.Options options) {
        return RunLoop.of(config, policy, team, board, log, clock, sleeper, options);
    }
}
