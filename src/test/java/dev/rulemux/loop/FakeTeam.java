package dev.rulemux.loop;

import dev.rulemux.App;
import dev.rulemux.ConfigDirs;
import dev.rulemux.board.Journal;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.Retention;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.terminal.FakeTerminal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test helper: a team whose agents live in a {@link FakeTerminal}, run by the real loop with the shipped rules and
 * profiles, on a {@link FakeTime}. Its agents' windows already run (nothing is launched unless the loop starts
 * the team); each shows an empty screen until the spec puts a recorded one on it. A tick takes milliseconds.
 */
final class FakeTeam implements AutoCloseable {

    static final String SESSION = "fake";

    final Path dir;
    final FakeTerminal terminal = new FakeTerminal();
    final FakeTime time = new FakeTime();
    final StringWriter console = new StringWriter();
    private final List<AutoCloseable> open = new ArrayList<>();

    /**
     * @param agentsYaml the {@code agents:} entries of agents.yaml
     * @param tasksYaml  tasks.yaml
     */
    FakeTeam(Path dir, String agentsYaml, String tasksYaml) {
        this.dir = dir;
        ConfigDirs.write(dir, "agents.yaml", "session: " + SESSION + "\nagents:\n" + agentsYaml);
        ConfigDirs.write(dir, "tasks.yaml", tasksYaml);
        config().team().agents().forEach(a -> terminal.running(SESSION, a.name()));
    }

    /** A Claude Code agent and a Codex one, both of the high tier, with {@code tasksYaml}. */
    static FakeTeam claudeAndCodex(Path dir, String tasksYaml) {
        return new FakeTeam(dir, """
                  - {name: claude, profile: claude-code, command: claude, tier: high, startup_dialogs: auto}
                  - {name: codex, profile: codex, command: codex, tier: high, startup_dialogs: auto}
                """, tasksYaml);
    }

    Config config() {
        return ConfigLoader.load(ConfigDirs.sources(dir));
    }

    /** A loop over this team with a board of tasks.yaml's tasks. */
    RunLoop loop(RunLoop.Options options) {
        return loop(options, new MemoryTaskBoard(config().tasks(), time));
    }

    RunLoop loop(RunLoop.Options options, TaskBoard board) {
        return loop(options, board, new App(time, Map.of(), time));
    }

    /** A loop over this team on the wall clock (its sleeps are real), as {@code rulemux run} runs. */
    RunLoop loopOnTheWallClock(RunLoop.Options options) {
        return loop(options, new MemoryTaskBoard(config().tasks(), java.time.Clock.systemUTC()),
                new App(java.time.Clock.systemUTC(), Map.of(), Sleeper.REAL));
    }

    private RunLoop loop(RunLoop.Options options, TaskBoard board, App app) {
        Config config = config();
        LivePolicy policy = LivePolicy.load(config.sources());
        EventLog log = app.eventLog(dir.resolve("logs"), new PrintWriter(console, true), false, Journal.NONE, Retention.DEFAULT);
        RunLoop loop = app.loop(config, policy, app.team(config, terminal), board, log, options);
        open.add(loop);
        open.add(log);
        open.add(policy);
        return loop;
    }

    /** {@code d} passes, then the loop ticks once. */
    void tickAfter(RunLoop loop, Duration d) {
        time.passes(d);
        loop.tick();
    }

    String log(String name) {
        try {
            Path file = dir.resolve("logs").resolve(name);
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }
}
