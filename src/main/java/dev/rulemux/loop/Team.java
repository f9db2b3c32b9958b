package dev.rulemux.loop;

import dev.rulemux.config.AgentSpec;
import dev.rulemux.config.Config;
import dev.rulemux.config.Profile;
import dev.rulemux.proc.ProcessTrees;
import dev.rulemux.proc.SelfCommand;
import dev.rulemux.terminal.Pane;
import dev.rulemux.terminal.Terminal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The team's session in the terminal (tmux): one window per agent, named after it, running its CLI. Starting is idempotent
 * (an existing session is reused, missing windows are made again); stopping asks each CLI to exit, then
 * kills the session.
 */
public final class Team {

    public static final int WIDTH = 200;
    public static final int HEIGHT = 50;

    private final Config config;
    private final Terminal terminal;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Long> launchedAt = new LinkedHashMap<>();
    private final Map<String, String> unreachable = new LinkedHashMap<>();

    /** A team whose waits (between stop keys, for the CLIs to exit) are real sleeps. */
    public Team(Config config, Terminal terminal, Clock clock) {
        this(config, terminal, clock, Sleeper.REAL);
    }

    public Team(Config config, Terminal terminal, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.terminal = terminal;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The configuration the team was made from. */
    public Config config() {
        return config;
    }

    public Terminal terminal() {
        return terminal;
    }

    /** How this team's waits are made (the run's waits go the same way). */
    public Sleeper sleeper() {
        return sleeper;
    }

    public String session() {
        return config.team().session();
    }

    /**
     * {@code agent}'s workdir, ready to run in (for an agent with {@code isolation: worktree}, its worktree): the default one ({@code <config dir>/work}) is made when it is
     * missing; a workdir given in agents.yaml is left as it is (validation checked that it exists).
     */
    public static java.nio.file.Path workdir(Config config, AgentSpec agent) {
        if (agent.isolation().worktree()) {
            return Worktrees.path(config, agent.name()); // made by start() before the agent is launched there
        }
        java.nio.file.Path dir = agent.workdir();
        if (agent.remote()) {
            return dir; // a directory on its host, or null: the home directory of the login there
        }
        if (dir.equals(config.dir().resolve(dev.rulemux.config.ConfigLoader.DEFAULT_WORKDIR)) && !java.nio.file.Files.isDirectory(dir)) {
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot make " + agent.name() + "'s workdir " + dir + ": " + e.getMessage(), e);
            }
        }
        return dir;
    }

    private final List<String> told = new ArrayList<>();

    private synchronized void told(String text) {
        told.add(text);
    }

    /** What starting the team did besides launching the CLIs (worktrees made, their setup's output), since last asked. */
    public synchronized List<String> drainTold() {
        List<String> out = List.copyOf(told);
        told.clear();
        return out;
    }

    /** When rulemux launched each agent's CLI in this process (agents found running are not in it). */
    public synchronized Map<String, Long> launchedAt() {
        return Map.copyOf(launchedAt);
    }

    /** The agents' panes, by agent name; an agent whose window is missing is absent. */
    public Map<String, Pane> panes() {
        Map<String, Pane> byWindow = new LinkedHashMap<>();
        for (Pane p : terminal.panes(session())) {
            byWindow.putIfAbsent(p.window(), p);
        }
        Map<String, Pane> out = new LinkedHashMap<>();
        for (AgentSpec a : config.team().agents()) {
            Pane p = byWindow.get(a.name());
            if (p != null) {
                out.put(a.name(), p);
            }
        }
        return out;
    }

    /**
     * Makes the session and every missing agent window.
     *
     * @return the agents launched now (empty when all were already running)
     */
    public synchronized List<String> start() {
        List<String> launched = new ArrayList<>();
        boolean exists = terminal.hasSession(session());
        Map<String, Pane> present = exists ? panes() : Map.of();
        unreachable.clear();
        for (AgentSpec a : config.team().agents()) {
            if (present.containsKey(a.name())) {
                continue;
            }
            if (a.isolation().worktree()) {
                Worktrees.prepare(config, a, this::told);
            }
            try {
                if (!exists) {
                    terminal.newSession(session(), a.name(), workdir(config, a), env(a), command(a), WIDTH, HEIGHT);
                    exists = true;
                } else {
                    terminal.newWindow(session(), a.name(), workdir(config, a), env(a), command(a));
                }
            } catch (dev.rulemux.terminal.TerminalException e) {
                if (!a.remote()) {
                    throw e;
                }
                // its host is down: the others start; this one when its host answers again (startMissing)
                unreachable.put(a.name(), e.getMessage());
                continue;
            }
            launchedAt.put(a.name(), clock.millis());
            launched.add(a.name());
        }
        return launched;
    }

    /** The host {@code agent} runs on; empty for this machine (or an agent not in the team). */
    public java.util.Optional<String> hostOf(String agent) {
        return config.team().agent(agent).map(AgentSpec::host);
    }

    /** The agents on a host that was down when {@link #start} ran, with why; they start at a later {@link #start}. */
    public synchronized Map<String, String> unreachable() {
        return Map.copyOf(unreachable);
    }

    /**
     * Launches {@code agent}'s CLI again in its pane. What ran there is killed first, with its children: a CLI
     * that hangs (or is stopped) would ignore the hang-up tmux sends and live on as an orphan.
     */
    public synchronized void restart(AgentSpec agent, Pane pane) {
        restart(agent, pane, false);
    }

    /**
     * Launches {@code agent}'s CLI again in its pane, as {@link #restart(AgentSpec, Pane)}; with {@code resume}, with its
     * profile's {@code resume:} arguments, so that it carries on the conversation it had (nothing is added when the
     * profile has none).
     */
    public synchronized void restart(AgentSpec agent, Pane pane, boolean resume) {
        if (!agent.remote() && !pane.dead() && pane.pid() > 0) {
            ProcessHandle.of(pane.pid()).ifPresent(ProcessTrees::killNow);
        }
        terminal.respawn(pane.id(), workdir(config, agent), env(agent), command(agent, resume));
        launchedAt.put(agent.name(), clock.millis());
    }

    /**
     * Asks every agent's CLI to exit with its profile's stop keys, waits up to {@code grace} for the panes to
     * die or fall back to a shell, then kills the session (and what still runs in it). Nothing else is touched.
     *
     * @return the agents that did not exit by themselves in time
     */
    public List<String> stop(Duration grace) {
        Map<String, Pane> panes = panes();
        for (AgentSpec a : config.team().agents()) {
            Pane p = panes.get(a.name());
            if (p == null || p.dead()) {
                continue;
            }
            Profile.KeysSpec stop = config.profileOf(a).stop();
            try {
                if (stop.command() != null && !stop.command().isEmpty()) {
                    terminal.paste(p.id(), stop.command());
                    sleeper.sleep(config.profileOf(a).delivery().submitDelay());
                    terminal.pressKeys(p.id(), config.profileOf(a).delivery().submitKeys());
                }
                for (String key : stop.keys()) {
                    terminal.pressKeys(p.id(), List.of(key));
                    sleeper.sleep(Duration.ofMillis(300));
                }
            } catch (RuntimeException e) {
                // a pane that went away meanwhile needs no stopping
            }
        }
        long end = clock.millis() + grace.toMillis();
        List<String> running = stillRunning();
        while (!running.isEmpty() && clock.millis() < end) {
            sleeper.sleep(Duration.ofMillis(200));
            running = stillRunning();
        }
        terminal.killSession(session());
        return running;
    }

    private List<String> stillRunning() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Pane> e : panes().entrySet()) {
            AgentSpec a = config.team().agent(e.getKey()).orElseThrow();
            Pane p = e.getValue();
            if (!p.dead() && !config.profileOf(a).exited().commands().contains(p.currentCommand())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** The agent's command line, its CLI's hooks wired to rulemux when its profile has them ({@link HookWiring}). */
    private List<String> command(AgentSpec agent) {
        return command(agent, false);
    }

    /**
     * The agent's command line; resuming, its profile's {@code resume:} arguments come right after the agent's own
     * command (before the hooks' options: {@code codex --no-daemon resume --last -c notify=…}). An agent on another
     * host runs its command as written: rulemux and its hooks are not on the host.
     */
    List<String> command(AgentSpec agent, boolean resume) {
        List<String> argv = new ArrayList<>(agent.remote() ? agent.command() : SelfCommand.resolve(agent.command()));
        if (resume) {
            argv.addAll(config.profileOf(agent).resume());
        }
        return agent.remote() ? List.copyOf(argv) : HookWiring.wire(config, agent, argv);
    }

    /**
     * The agent's environment: its own {@code env}, plus who it is and where the team's state lives, so that
     * {@code rulemux report} and {@code rulemux task add} run from the agent's shell need no options, and what its CLI's
     * hooks need ({@link HookWiring#env}).
     */
    private Map<String, String> env(AgentSpec agent) {
        Map<String, String> env = new LinkedHashMap<>(agent.env());
        env.putIfAbsent("RULEMUX_AGENT", agent.name());
        if (!agent.remote()) {
            env.putIfAbsent("RULEMUX_CONFIG", config.dir().toString());
            env.putAll(HookWiring.env(config, agent));
        }
        return env;
    }
}
