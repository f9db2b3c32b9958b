package dev.rulemux.demo;

import dev.rulemux.App;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.loop.EventLog;
import dev.rulemux.loop.RunLoop;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.store.StateStore;
import dev.rulemux.store.StatusDocument;
import dev.rulemux.tmux.Tmux;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One demo run: a fresh directory with the bundled team and tasks, a private tmux server, the loop until every task
 * is done (or the time is up, or Ctrl-C), a {@link Summary}; then the tmux server is ended, whatever happened.
 */
public final class Demo {

    /**
     * @param dir      where to put the run (config, state, logs); null: a new directory under the system's temp dir
     * @param attach   attach the terminal to the tmux session while the run lasts
     * @param real     the architect is the real Claude Code and the builder the real Codex (see {@link RealAgents})
     * @param maxTime  stop after this long even when tasks remain
     * @param interval time between two ticks of the loop
     * @param isolated each agent works in a git worktree of its own and each task's branch is merged into {@link #BASE}
     */
    public record Options(Path dir, boolean attach, boolean real, Duration maxTime, Duration interval, boolean isolated) {

        /** The demo with its agents sharing one directory. */
        public Options(Path dir, boolean attach, boolean real, Duration maxTime, Duration interval) {
            this(dir, attach, real, maxTime, interval, false);
        }
    }

    /** The branch the demo's agents in worktrees start from and merge into ({@code --isolation worktree}). */
    public static final String BASE = "team";
    /** The demo's project, a git repository ({@code --isolation worktree}), in the run's directory. */
    public static final String REPO = "project";

    /**
     * @param summary  what happened
     * @param dir      the run's directory (agents.yaml, tasks.yaml, .rulemux/state.db, handoff/)
     * @param logs     its logs directory
     * @param socket   the tmux socket it used (ended)
     * @param stopped  the run was interrupted (Ctrl-C) or ran out of time before every task was done
     * @param branches with {@code --isolation worktree}: each task's branch and where its merge into {@link #BASE} stands
     */
    public record Result(Summary summary, Path dir, Path logs, String socket, boolean stopped,
                         List<dev.rulemux.domain.TaskBranch> branches) {

        public Result(Summary summary, Path dir, Path logs, String socket, boolean stopped) {
            this(summary, dir, logs, socket, stopped, List.of());
        }

        /** The project the agents' worktrees were made from ({@code --isolation worktree}). */
        public Path repo() {
            return dir.resolve(REPO);
        }
    }

    /** The bundled team and tasks (examples/demo, inside the jar). */
    static final String RESOURCES = "/shipped/demo/";

    private final Options options;
    private final java.io.Writer terminal;
    private final boolean interactive;
    private final App app;
    private final Clock clock;

    /**
     * @param terminal    where progress goes (the user's terminal, or a test's buffer)
     * @param interactive the output is a terminal: the progress line is redrawn in place
     * @param app         what wires the run (its clock times the demo)
     */
    public Demo(Options options, java.io.Writer terminal, boolean interactive, App app) {
        this.options = options;
        this.terminal = terminal;
        this.interactive = interactive;
        this.app = app;
        this.clock = app.clock();
    }

    /** Runs the demo; the tmux server it started is gone when this returns (or throws). */
    public Result run() {
        Path dir = prepareDir();
        String socket = "rulemux-demo-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        GatedOutput console = new GatedOutput(terminal, !options.attach());
        try (RealAgents real = options.real() ? RealAgents.start(dir) : null) {
            writeConfig(dir, socket, real, options.isolated());
            if (options.isolated()) {
                makeProject(dir.resolve(REPO));
            }
            Config config = ConfigLoader.load(dir);
            Tmux tmux = new Tmux(socket);
            try (StateStore store = StateStore.open(dir, clock);
                 LivePolicy policy = LivePolicy.load(config.sources());
                 EventLog log = app.eventLog(dir.resolve("logs"), new PrintWriter(console, true), interactive && !options.attach(),
                         store, config.team().retention());
                 RunLoop loop = app.loop(config, policy, app.team(config, tmux), store, log, new RunLoop.Options(
                         false, true, options.interval(), Duration.ofSeconds(3), java.util.Set.of(), false, options.maxTime()))) {
                store.declare(config.tasks());
                StatusDocument document = new StatusDocument();
                loop.afterEachTick(current -> document.writeIfChanged(store, current));
                long started = clock.millis();
                runToTheEnd(loop, tmux, config.team().session(), console);
                Summary summary = Summary.of(Duration.ofMillis(clock.millis() - started), store.records(),
                        store.events(0, Integer.MAX_VALUE), store.agentRows());
                return new Result(summary, dir, dir.resolve("logs"), socket, !store.done(), store.branches().branches());
            } finally {
                tmux.killServer();
            }
        }
    }

    /**
     * Runs the loop until every task is done, the time is up, or Ctrl-C (which stops the loop and waits for this),
     * with the terminal attached to the session when asked; the terminal is the console again when this returns.
     */
    private void runToTheEnd(RunLoop loop, Tmux tmux, String session, GatedOutput console) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            loop.stop();
            try {
                finished.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rulemux-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Process client = null;
        try {
            if (options.attach()) {
                client = attach(loop, tmux, session, console);
            }
            loop.run();
            if (client != null && client.isAlive()) {
                tmux.message(session, "rulemux demo: the run is over; back to your terminal in 5 s");
                client.waitFor(5, TimeUnit.SECONDS);
                tmux.detachClients(session);
                client.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (client != null) {
                client.destroy();
            }
            console.open();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for this
            }
        }
    }

    /** Starts the team and a tmux client on this terminal; once the user detaches, progress shows here again. */
    private static Process attach(RunLoop loop, Tmux tmux, String session, GatedOutput console) {
        loop.startTeam();
        Process client = tmux.attach(session);
        Thread watcher = new Thread(() -> {
            try {
                client.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            console.open();
        }, "rulemux-demo-attach");
        watcher.setDaemon(true);
        watcher.start();
        return client;
    }

    private Path prepareDir() {
        try {
            if (options.dir() != null) {
                Files.createDirectories(options.dir());
                try (var entries = Files.list(options.dir())) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(options.dir() + " is not empty: the demo runs in a fresh directory");
                    }
                }
                return options.dir().toAbsolutePath().normalize();
            }
            String stamp = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path temp = Path.of(System.getProperty("java.io.tmpdir"));
            for (int n = 1; ; n++) {
                Path dir = temp.resolve("rulemux-demo-" + stamp + (n == 1 ? "" : "-" + n));
                try {
                    return Files.createDirectory(dir).toAbsolutePath();
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    // another demo started in the same second
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the demo's directory: " + e.getMessage(), e);
        }
    }

    /**
     * The bundled agents.yaml on {@code socket} (or the real CLIs' team), and the bundled tasks.yaml; {@code isolated},
     * each agent in a worktree of the demo's project and each task writing its own file there (claimed in its files).
     */
    private static void writeConfig(Path dir, String socket, RealAgents real, boolean isolated) {
        try {
            String agents = real != null ? real.agentsYaml(resource("agents.yaml")) : resource("agents.yaml");
            agents = agents.replaceFirst("(?m)^socket: .*$", "socket: " + socket);
            String tasks = resource("tasks.yaml");
            if (isolated) {
                agents = inWorktrees(agents);
                tasks = writingFiles(tasks);
            }
            Files.writeString(dir.resolve(ConfigLoader.AGENTS_FILE), agents);
            Files.writeString(dir.resolve(ConfigLoader.TASKS_FILE), tasks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's configuration in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Each agent of the bundled agents.yaml given a worktree of the project, from and into {@link #BASE}. */
    static String inWorktrees(String agents) {
        return agents.replaceAll("(?m)^(  - name: .*)$", "$1\n    workdir: " + REPO + "\n    isolation: worktree\n    base: " + BASE);
    }

    /** Each task of the bundled tasks.yaml writing notes/<task>.md when its turn ends, and claiming that file. */
    static String writingFiles(String tasks) {
        StringBuilder out = new StringBuilder();
        String id = null;
        for (String line : tasks.split("\n", -1)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^  - id: (\\S+)").matcher(line);
            if (m.find()) {
                id = m.group(1);
                out.append(line).append('\n');
                out.append("    files: [notes/").append(id).append(".md]\n");
                continue;
            }
            if (id != null && line.contains("[mock ")) {
                line = line.replace("[mock ", "[mock write=notes/" + id + ".md text=" + id + "-done ");
            }
            out.append(line).append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** The demo's project: a git repository on main with a README, and the branch {@link #BASE} the team works from. */
    private static void makeProject(Path repo) {
        try {
            Files.createDirectories(repo);
            Files.writeString(repo.resolve("README.md"), "# orders service\n\nThe demo's project: each agent works in a git "
                    + "worktree of it, each task on a branch of its own, merged into " + BASE + " when done.\n");
            dev.rulemux.git.Git git = new dev.rulemux.git.Git("git", Duration.ofSeconds(30));
            git.init(repo, "main");
            git.commitAll(repo, "The orders service, before the team", List.of());
            git.createBranch(repo, BASE, "main");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the demo's project in " + repo + ": " + e.getMessage(), e);
        }
    }

    static String resource(String name) {
        try (InputStream in = Demo.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the demo's " + name + " is missing from rulemux (" + RESOURCES + name + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
