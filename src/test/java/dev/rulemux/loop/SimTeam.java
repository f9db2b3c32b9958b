package dev.rulemux.loop;

import static dev.rulemux.ConfigDirs.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.App;
import dev.rulemux.ConfigDirs;
import dev.rulemux.board.Journal;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.board.TaskBoard;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.rules.LivePolicy;
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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a team of rulemux sim-agents in a config directory of its own, on a private tmux socket,
 * with the repository's shipped rules and profiles. Every prompt an agent receives lands in
 * {@code work/prompts.log}, in the agents' default workdir (one JSON object per line).
 */
final class SimTeam implements AutoCloseable {

    final Path dir;
    final PrivateTmux server;
    final StringWriter console = new StringWriter();
    private final List<RunLoop> loops = new ArrayList<>();
    private final ExecutorService runner = Executors.newCachedThreadPool();

    /** {@code agents} lines are "name tier [key: value…]" YAML fragments, see {@link #agent}. */
    SimTeam(Path dir, String agentsYaml, String tasksYaml) {
        this.dir = dir;
        this.server = PrivateTmux.start();
        write(dir, "agents.yaml", "session: simteam\nsocket: " + server.tmux.socket() + "\nagents:\n" + agentsYaml);
        write(dir, "tasks.yaml", tasksYaml);
    }

    /** One sim-agent entry of agents.yaml, logging its prompts to prompts.log. */
    static String agent(String name, String tier, String... extra) {
        StringBuilder s = new StringBuilder();
        s.append("  - name: ").append(name).append('\n');
        s.append("    profile: sim-agent\n");
        s.append("    command: [rulemux, sim-agent, --name, ").append(name).append(", --log, prompts.log]\n");
        s.append("    tier: ").append(tier).append('\n');
        for (String e : extra) {
            s.append("    ").append(e).append('\n');
        }
        return s.toString();
    }

    Config config() {
        return ConfigLoader.load(ConfigDirs.sources(dir));
    }

    Tmux tmux() {
        return server.tmux;
    }

    /** A run loop over this team, logging to the captured console. */
    RunLoop loop(RunLoop.Options options) {
        return loop(options, new MemoryTaskBoard(config().tasks(), Clock.systemUTC()));
    }

    RunLoop loop(RunLoop.Options options, TaskBoard board) {
        return loop(options, board, Journal.NONE);
    }

    RunLoop loop(RunLoop.Options options, TaskBoard board, Journal journal) {
        Config config = config();
        EventLog log = new EventLog(dir.resolve("logs"), new PrintWriter(console, true), false, Clock.systemUTC(), journal);
        App app = new App(Clock.systemUTC());
        // agents that name a host are reached through one ssh connection per host (App.terminal), the others here
        RunLoop loop = app.loop(config, LivePolicy.load(config.sources()), app.team(config, app.terminal(config, tmux())), board,
                log, options);
        loops.add(loop);
        return loop;
    }

    /** Runs {@code loop} in the background; the future's value is its exit code. */
    Future<Integer> runInBackground(RunLoop loop) {
        return runner.submit(loop::run);
    }

    /** Every prompt received by the agents, in order: each a JSON object with agent, at, prompt. */
    List<JsonNode> prompts() {
        Path log = dir.resolve(dev.rulemux.config.ConfigLoader.DEFAULT_WORKDIR).resolve("prompts.log"); // the agents work in <dir>/work
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        try {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(log)) {
                if (!line.isBlank()) {
                    JsonNode node = json.readTree(line);
                    if (node.has("prompt")) {
                        out.add(node);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    String log(String name) {
        try {
            return Files.readString(dir.resolve("logs").resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        PrivateTmux.await(timeout, what, condition);
    }

    @Override
    public void close() {
        loops.forEach(RunLoop::stop);
        runner.shutdownNow();
        try {
            runner.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.forEach(RunLoop::close);
        server.close();
    }
}
