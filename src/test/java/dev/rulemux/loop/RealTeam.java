package dev.rulemux.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rulemux.App;
import dev.rulemux.ConfigDirs;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.sim.MockModelServer;
import dev.rulemux.sim.MockRequest;
import dev.rulemux.sim.RealCliTests;
import dev.rulemux.sim.RealClis;
import dev.rulemux.terminal.Pane;
import dev.rulemux.tmux.PrivateTmux;
import dev.rulemux.tmux.Tmux;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Test helper: a config directory whose agents are the real CLIs (each in a throw-away sandbox, talking to
 * one {@link MockModelServer}) and, optionally, rulemux sim-agents, on a private tmux socket. Skipped (or,
 * under RULEMUX_REQUIRE_REAL_CLIS=1, failed) when tmux or the CLIs are missing.
 */
final class RealTeam implements AutoCloseable {

    final Path dir;
    final MockModelServer mock;
    final PrivateTmux server;
    final StringWriter console = new StringWriter();
    private final RealClis clis;
    private final List<RealClis.Sandbox> sandboxes = new ArrayList<>();
    private final List<Map<String, Object>> agents = new ArrayList<>();
    private final List<RunLoop> loops = new ArrayList<>();
    private final ExecutorService runner = Executors.newCachedThreadPool();

    RealTeam(Path dir, String what) {
        this.clis = RealCliTests.require(what);
        this.dir = dir;
        this.server = PrivateTmux.start();
        this.mock = MockModelServer.start(0);
    }

    /** Adds a real CLI agent with the given profile (claude-code, codex, gemini). */
    RealTeam real(String name, RealClis.Cli cli, String profile, String tier, String... extra) {
        return real(name, cli, profile, tier, RealClis.Options.defaults(), extra);
    }

    RealTeam real(String name, RealClis.Cli cli, String profile, String tier, RealClis.Options options, String... extra) {
        try {
            Path work = Files.createDirectories(dir.resolve("work-" + name));
            RealClis.Sandbox sandbox = clis.prepare(cli, work, mock.baseUrl(), Files.createDirectories(dir.resolve("sandbox-" + name)),
                    options);
            sandboxes.add(sandbox);
            Map<String, Object> a = sandbox.agent(name, profile, tier);
            extras(a, extra);
            agents.add(a);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the last added agent's CLI as the child of a parent process ({@code timeout 1d}, which forks and waits),
     * so the test can freeze the CLI with SIGSTOP: tmux continues a pane's own process when it sees it stop, but
     * not a grandchild. (Not a shell: a pane whose foreground command is a shell counts as exited.)
     */
    RealTeam underParentProcess() {
        Map<String, Object> a = agents.get(agents.size() - 1);
        List<Object> command = new ArrayList<>(List.of("timeout", "1d"));
        command.addAll((List<?>) a.get("command"));
        a.put("command", command);
        return this;
    }

    /** The HOME of the sandbox of the agent named {@code name} (its CLI's user settings are under it). */
    Path sandboxHome(String name) {
        return sandboxes.stream().filter(sb -> sb.workdir().getFileName().toString().equals("work-" + name)).findFirst()
                .orElseThrow().home();
    }

    /** Adds a rulemux sim-agent (it logs its prompts to prompts.log). */
    RealTeam sim(String name, String tier, String... extra) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", name);
        a.put("profile", "sim-agent");
        a.put("command", List.of("rulemux", "sim-agent", "--name", name, "--log", dir.resolve("prompts.log").toString()));
        a.put("tier", tier);
        extras(a, extra);
        agents.add(a);
        return this;
    }

    /** Extra fields of an agent as YAML lines ({@code "approvals: auto"}, {@code "policy: {stuck_after: 3s}"}). */
    private static void extras(Map<String, Object> a, String... extra) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String e : extra) {
            try {
                Map<?, ?> m = yaml.readValue(e, Map.class);
                m.forEach((k, v) -> a.put(k.toString(), v));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** Writes agents.yaml and tasks.yaml; returns the loaded config. */
    Config write(String tasksYaml) {
        Map<String, Object> team = new LinkedHashMap<>();
        team.put("session", "realteam");
        team.put("socket", server.tmux.socket());
        team.put("agents", agents);
        try {
            new ObjectMapper(new YAMLFactory()).writeValue(dir.resolve("agents.yaml").toFile(), team);
            Files.writeString(dir.resolve("tasks.yaml"), tasksYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config();
    }

    /**
     * The team's agent of profile {@code from} runs with {@code yaml} instead, written as the team's own profile
     * {@code to} (a profile with markers broken on purpose, say).
     */
    void useProfile(String from, String to, String yaml) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/" + to + ".yaml"), yaml);
        Files.writeString(dir.resolve("agents.yaml"), Files.readString(dir.resolve("agents.yaml"))
                .replace("profile: \"" + from + "\"", "profile: \"" + to + "\"")
                .replaceAll("profile: " + java.util.regex.Pattern.quote(from) + "(?=\\s|,|}|$)", "profile: " + to));
        org.assertj.core.api.Assertions.assertThat(config().team().agents().get(0).profile()).isEqualTo(to);
    }

    Config config() {
        return ConfigLoader.load(ConfigDirs.sources(dir));
    }

    Tmux tmux() {
        return server.tmux;
    }

    Team team() {
        return new Team(config(), tmux(), Clock.systemUTC());
    }

    /** A bound for a wait that never ends, not a statement of speed: a loaded machine may take many times longer. */
    static final Duration GENEROUS = Duration.ofMinutes(3);

    /**
     * Starts every agent and waits until each is ready as the run loop sees it (its profile's idle screen, still);
     * returns the panes.
     */
    Map<String, Pane> startAndAwaitReady() {
        Config config = config();
        Team team = team();
        team.start();
        Map<String, Pane> panes = team.panes();
        for (var a : config.team().agents()) {
            awaitIdle(panes.get(a.name()), a.profile());
        }
        return panes;
    }

    /** Waits until the agent on {@code pane} is idle as the run loop sees it; returns its screen. */
    String awaitIdle(Pane pane, String profile) {
        return dev.rulemux.LiveScreen.awaitStatus(tmux(), pane.id(), profile, GENEROUS, dev.rulemux.domain.Status.IDLE);
    }

    RunLoop loop(RunLoop.Options options, TaskBoard board) {
        Config config = config();
        EventLog log = new EventLog(dir.resolve("logs"), new PrintWriter(console, true), false, Clock.systemUTC());
        App app = new App(Clock.systemUTC());
        RunLoop loop = app.loop(config, LivePolicy.load(config.sources()), app.team(config, tmux()), board, log, options);
        loops.add(loop);
        return loop;
    }

    RunLoop loop(RunLoop.Options options) {
        return loop(options, new MemoryTaskBoard(config().tasks(), Clock.systemUTC()));
    }

    Future<Integer> runInBackground(RunLoop loop) {
        return runner.submit(loop::run);
    }

    /** Runs {@code loop} to its end; on a timeout fails with what the run printed and each agent's screen. */
    int runToEnd(RunLoop loop, Duration timeout) throws Exception {
        Future<Integer> exit = runInBackground(loop);
        try {
            return exit.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the run did not end within " + timeout.toSeconds() + " s\n" + console + screens(), e);
        }
    }

    /** Waits until {@code loop}'s task {@code id} is in {@code state}; fails with what the run printed and the screens. */
    void awaitTask(RunLoop loop, String id, dev.rulemux.domain.TaskState state, Duration timeout) {
        try {
            PrivateTmux.await(timeout, id + " " + state, () -> loop.board().record(id).map(r -> r.state() == state).orElse(false));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + console + screens(), e);
        }
    }

    private String screens() {
        StringBuilder screens = new StringBuilder();
        for (Pane p : tmux().panes("realteam")) {
            screens.append("\n--- ").append(p.window()).append(":\n").append(tmux().capture(p.id()).strip());
        }
        return screens.toString();
    }

    /** The agent turns the mock received (side calls and tool results left out). */
    List<MockRequest> turns() {
        return mock.requests().stream().filter(r -> r.agentTurn() && !r.toolResult()).toList();
    }

    String log(String name) {
        try {
            return Files.readString(dir.resolve("logs").resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        loops.forEach(RunLoop::stop);
        runner.shutdownNow();
        loops.forEach(RunLoop::close);
        server.close();
        sandboxes.forEach(RealClis.Sandbox::close);
        mock.close();
    }
}
