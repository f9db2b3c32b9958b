package dev.rulemux.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rulemux.board.MemoryTaskBoard;
import dev.rulemux.config.Config;
import dev.rulemux.config.ConfigLoader;
import dev.rulemux.config.Sources;
import dev.rulemux.loop.EventLog;
import dev.rulemux.loop.RunLoop;
import dev.rulemux.loop.Team;
import dev.rulemux.proc.SelfCommand;
import dev.rulemux.rules.LivePolicy;
import dev.rulemux.sim.MockModelServer;
import dev.rulemux.sim.MockRequest;
import dev.rulemux.sim.RealClis;
import dev.rulemux.tmux.Tmux;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * rulemux's benchmarks ({@code rulemux bench}): how soon an agent whose turn ended gets its next prompt
 * submitted, with the real CLIs against the mock model server (or sim-agents); and what a run costs in CPU
 * while it watches idle agents, with and without the tmux control-mode client.
 */
public final class Bench {

    /** One agent of a latency run: a real CLI or a sim-agent, and its profile. */
    public enum Kind {
        CLAUDE("claude-code", "high"), CODEX("codex", "medium"), GEMINI("gemini", "low"), SIM("sim-agent", "low");

        final String profile;
        final String tier;

        Kind(String profile, String tier) {
            this.profile = profile;
            this.tier = tier;
        }
    }

    /** Latencies in ms from a turn's end to the next prompt's arrival, per agent. */
    public record Latency(Map<String, List<Long>> byAgent, Duration wall) {

        public List<Long> all() {
            List<Long> out = new ArrayList<>();
            byAgent.values().forEach(out::addAll);
            out.sort(null);
            return out;
        }
    }

    /** CPU used while watching idle agents: ms of CPU per second of wall time (10 = 1 % of one core). */
    public record Cpu(double rulemuxMsPerSecond, double tmuxServerMsPerSecond, int agents, Duration interval,
                      boolean controlMode, Duration measured) {
    }

    private Bench() {
    }

    /**
     * Each agent gets {@code tasks} one-second tasks of its own tier; the run dispatches them back to back.
     * The latency of a hand-over is the time from the end of one turn (the mock's last byte, or the
     * sim-agent's turn end) to the arrival of the next prompt at the model (or the sim-agent).
     */
    public static Latency latency(List<Kind> kinds, int tasks, Duration interval, Path work, PrintWriter out) {
        Optional<RealClis> clis = RealClis.locate();
        if (kinds.stream().anyMatch(k -> k != Kind.SIM) && clis.isEmpty()) {
            throw new IllegalStateException("the real CLIs are not installed: run scripts/install-clis (or bench only sim)");
        }
        String socket = "rulemux-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Tmux tmux = new Tmux(socket);
        List<RealClis.Sandbox> sandboxes = new ArrayList<>();
        try (MockModelServer mock = MockModelServer.start(0)) {
            Path simLog = work.resolve("sim.log");
            List<Map<String, Object>> agents = new ArrayList<>();
            StringBuilder tasksYaml = new StringBuilder("tasks:\n");
            for (Kind k : kinds) {
                String name = k.name().toLowerCase(java.util.Locale.ROOT);
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("name", name);
                a.put("profile", k.profile);
                a.put("tier", k.tier);
                a.put("approvals", "auto");
                a.put("startup_dialogs", "auto");
                if (k == Kind.SIM) {
                    a.put("command", List.of("rulemux", "sim-agent", "--name", name, "--log", simLog.toString()));
                } else {
                    Path dir = Files.createDirectories(work.resolve(name));
                    RealClis.Sandbox sandbox = clis.get().prepare(RealClis.Cli.valueOf(k.name()), dir, mock.baseUrl(),
                            Files.createDirectories(work.resolve("sandbox-" + name)));
                    sandboxes.add(sandbox);
                    a.put("command", sandbox.command());
                    a.put("env", sandbox.env());
                    a.put("workdir", dir.toString());
                }
                agents.add(a);
                for (int i = 1; i <= tasks; i++) {
                    tasksYaml.append("  - {id: ").append(name).append('-').append(i).append(", complexity: ").append(k.tier)
                            .append(", prompt: \"Task ").append(i).append(" for ").append(name).append(" [mock work=1s]\"}\n");
                }
            }
            Map<String, Object> team = new LinkedHashMap<>();
            team.put("session", "bench");
            team.put("socket", socket);
            team.put("agents", agents);
            new ObjectMapper(new YAMLFactory()).writeValue(work.resolve("agents.yaml").toFile(), team);
            Files.writeString(work.resolve("tasks.yaml"), tasksYaml);
            Config config = ConfigLoader.load(Sources.forConfigDir(work));

            Team t = new Team(config, tmux, Clock.systemUTC());
            t.start();
            awaitReady(tmux, config, t);
            Instant start = Instant.now();
            try (Writer sink = Writer.nullWriter();
                 EventLog log = new EventLog(work.resolve("logs"), new PrintWriter(sink), false, Clock.systemUTC());
                 LivePolicy policy = LivePolicy.load(config.sources());
                 RunLoop loop = new dev.rulemux.App(Clock.systemUTC()).loop(config, policy, t, new MemoryTaskBoard(config.tasks(), Clock.systemUTC()), log,
                         new RunLoop.Options(false, true, interval, Duration.ofSeconds(3), java.util.Set.of(), false,
                                 Duration.ofMinutes(10)))) {
                loop.run();
            }
            Duration wall = Duration.between(start, Instant.now());
            Map<String, List<Long>> byAgent = new LinkedHashMap<>();
            for (Kind k : kinds) {
                String name = k.name().toLowerCase(java.util.Locale.ROOT);
                byAgent.put(name, k == Kind.SIM ? simLatencies(simLog, name) : mockLatencies(mock, name));
            }
            out.flush();
            return new Latency(byAgent, wall);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            tmux.killServer();
            sandboxes.forEach(RealClis.Sandbox::close);
        }
    }

    /** The hand-over latencies of one real agent, from the mock's view of its turns. */
    private static List<Long> mockLatencies(MockModelServer mock, String agent) {
        List<MockRequest> turns = mock.requests().stream()
                .filter(r -> r.agentTurn() && !r.toolResult() && r.prompt().contains(" for " + agent + " "))
                .sorted(Comparator.comparing(MockRequest::at)).toList();
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < turns.size(); i++) {
            Optional<Instant> ended = mock.answeredAt(turns.get(i - 1));
            if (ended.isPresent()) {
                out.add(Duration.between(ended.get(), turns.get(i).at()).toMillis());
            }
        }
        return out;
    }

    private static List<Long> simLatencies(Path log, String agent) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Long> out = new ArrayList<>();
        Long lastEnd = null;
        for (String line : Files.readAllLines(log)) {
            JsonNode n = json.readTree(line);
            if (!agent.equals(n.path("agent").asText())) {
                continue;
            }
            if ("turn_end".equals(n.path("event").asText())) {
                lastEnd = n.get("at").asLong();
            } else if (n.has("prompt") && lastEnd != null) {
                out.add(n.get("at").asLong() - lastEnd);
                lastEnd = null;
            }
        }
        return out;
    }

    private static void awaitReady(Tmux tmux, Config config, Team team) {
        Map<String, String> ready = Map.of("claude-code", "? for shortcuts", "codex", "Ask Codex to do anything",
                "gemini", "Type your message", "sim-agent", "context used");
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (var a : config.team().agents()) {
            String wanted = ready.get(a.profile());
            while (System.nanoTime() < end) {
                var pane = team.panes().get(a.name());
                if (pane != null && tmux.capture(pane.id()).contains(wanted)) {
                    break;
                }
                sleep(200);
            }
        }
        // let startup notices (Claude Code's tmux focus-events notice) come and go
        sleep(kindsNeedSettling(config) ? 20_000 : 1_000);
    }

    private static boolean kindsNeedSettling(Config config) {
        return config.team().agents().stream().anyMatch(a -> a.profile().equals("claude-code"));
    }

    /**
     * Runs {@code rulemux run} as its own process over {@code agents} idle sim-agents for {@code measure},
     * after a warm-up, and reads its CPU time (with its children's: the tmux clients it spawns) and the tmux
     * server's from /proc.
     */
    public static Cpu idleCpu(int agents, Duration interval, Duration measure, boolean controlMode, Path work) {
        String socket = "rulemux-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Tmux tmux = new Tmux(socket);
        Process run = null;
        try {
            StringBuilder yaml = new StringBuilder("session: cpu\nsocket: " + socket + "\nagents:\n");
            for (int i = 1; i <= agents; i++) {
                yaml.append("  - {name: a").append(i).append(", profile: sim-agent, command: rulemux sim-agent --name a")
                        .append(i).append(", tier: low}\n");
            }
            Files.writeString(work.resolve("agents.yaml"), yaml);
            Files.writeString(work.resolve("tasks.yaml"), "tasks: []\n");
            List<String> argv = new ArrayList<>(SelfCommand.resolve(List.of("rulemux")));
            argv.addAll(List.of("run", "--config", work.toString(), "--interval-ms", Long.toString(interval.toMillis())));
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve("run.out").toFile());
            pb.environment().put("RULEMUX_TMUX_CONTROL", controlMode ? "on" : "off");
            run = pb.start();
            long warm = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            while (System.nanoTime() < warm && tmux.panes("cpu").size() < agents) {
                sleep(200);
            }
            sleep(8_000);
            long serverPid = serverPid(tmux);
            long[] r0 = cpuTicks(run.pid());
            long[] s0 = cpuTicks(serverPid);
            long t0 = System.nanoTime();
            sleep(measure.toMillis());
            long[] r1 = cpuTicks(run.pid());
            long[] s1 = cpuTicks(serverPid);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double tick = 1000.0 / 100; // /proc counts in clock ticks of 1/100 s (CLK_TCK on Linux)
            double rulemux = ((r1[0] + r1[1]) - (r0[0] + r0[1])) * tick / seconds;
            double server = (s1[0] - s0[0]) * tick / seconds;
            return new Cpu(rulemux, server, agents, interval, controlMode, measure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            end(run, tmux);
        }
    }

    /**
     * What {@code rulemux run} costs over a team: CPU (its own and its children's, the tmux clients it spawns;
     * the tmux server's apart), in ms per second of wall time (10 = 1 % of one core), and its resident memory
     * (VmRSS sampled every 250 ms over the window; peak = VmHWM, the high-water mark since it started).
     *
     * @param turns the sim-agents' turns that ended within the window (0 for an idle team)
     */
    public record Overhead(int agents, boolean busy, double rulemuxMsPerSecond, double tmuxServerMsPerSecond,
                           long peakRssKb, long avgRssKb, int turns, Duration measured) {
    }

    /**
     * Runs {@code rulemux run} as its own process, started the way a user starts it (the checkout's launcher,
     * with its JVM flags, when there is one), over {@code agents} sim-agents; measures {@code measure} after a
     * warm-up. Idle: no tasks. Busy: a queue of two-second tasks long enough that no agent runs out of work
     * before the window ends.
     */
    public static Overhead overhead(int agents, boolean busy, Duration interval, Duration measure, Path work) {
        String socket = "rulemux-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Tmux tmux = new Tmux(socket);
        Process run = null;
        Path simLog = work.resolve("sim.log");
        try {
            StringBuilder yaml = new StringBuilder("session: cpu\nsocket: " + socket + "\nagents:\n");
            for (int i = 1; i <= agents; i++) {
                yaml.append("  - {name: a").append(i).append(", profile: sim-agent, command: rulemux sim-agent --name a")
                        .append(i).append(" --log ").append(simLog).append(", tier: low}\n");
            }
            Files.writeString(work.resolve("agents.yaml"), yaml);
            StringBuilder tasks = new StringBuilder("tasks:\n");
            if (busy) {
                // a turn every ~3 s (2 s of work, the hand-over, the start-up): twice what the warm-up and window need
                long perAgent = 2 * (measure.toSeconds() + 40) / 3 + 5;
                for (long i = 1; i <= perAgent * agents; i++) {
                    tasks.append("  - {id: t").append(i).append(", complexity: low, prompt: \"Task ").append(i)
                            .append(" [mock work=2s]\"}\n");
                }
            }
            Files.writeString(work.resolve("tasks.yaml"), busy ? tasks.toString() : "tasks: []\n");
            List<String> argv = new ArrayList<>(launcher());
            argv.addAll(List.of("run", "--config", work.toString(), "--interval-ms", Long.toString(interval.toMillis())));
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve("run.out").toFile());
            run = pb.start();
            // every sim-agent up (twenty JVMs starting at once take a while on two cores), then a settling time
            long warm = System.nanoTime() + Duration.ofSeconds(30 + 3L * agents).toNanos();
            while (System.nanoTime() < warm && run.isAlive() && !allStarted(tmux, agents)) {
                sleep(500);
            }
            sleep(8_000);
            if (!run.isAlive()) {
                throw new IllegalStateException("rulemux run ended early (exit " + run.exitValue() + "): see " + work.resolve("run.out"));
            }
            long serverPid = serverPid(tmux);
            long[] r0 = cpuTicks(run.pid());
            long[] s0 = cpuTicks(serverPid);
            long t0 = System.nanoTime();
            long wall0 = System.currentTimeMillis();
            long rssSum = 0;
            int samples = 0;
            long end = t0 + measure.toNanos();
            while (System.nanoTime() < end) {
                rssSum += statusKb(run.pid(), "VmRSS");
                samples++;
                sleep(250);
            }
            long[] r1 = cpuTicks(run.pid());
            long[] s1 = cpuTicks(serverPid);
            long wall1 = System.currentTimeMillis();
            long peak = statusKb(run.pid(), "VmHWM");
            double seconds = (System.nanoTime() - t0) / 1e9;
            double tick = 1000.0 / 100; // clock ticks of 1/100 s (CLK_TCK on Linux)
            double rulemux = ((r1[0] + r1[1]) - (r0[0] + r0[1])) * tick / seconds;
            double server = (s1[0] - s0[0]) * tick / seconds;
            int turns = turnsEnded(simLog, wall0, wall1);
            return new Overhead(agents, busy, rulemux, server, peak, samples == 0 ? 0 : rssSum / samples, turns, measure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            end(run, tmux);
        }
    }

    /** True when {@code agents} panes show a sim-agent's footer (or, busy, its work). */
    private static boolean allStarted(Tmux tmux, int agents) {
        List<dev.rulemux.terminal.Pane> panes = tmux.hasSession("cpu") ? tmux.panes("cpu") : List.of();
        return panes.size() >= agents && panes.stream().allMatch(p -> tmux.capture(p.id()).contains("context used"));
    }

    /** The checkout's launcher (as a user runs rulemux: its JVM flags, its class-data archive), else this JVM's way. */
    private static List<String> launcher() {
        String home = System.getProperty("rulemux.home");
        if (home != null && Files.isExecutable(Path.of(home, "rulemux"))) {
            return List.of(Path.of(home, "rulemux").toString());
        }
        return SelfCommand.resolve(List.of("rulemux"));
    }

    private static int turnsEnded(Path simLog, long from, long to) throws IOException {
        if (!Files.exists(simLog)) {
            return 0;
        }
        ObjectMapper json = new ObjectMapper();
        int n = 0;
        for (String line : Files.readAllLines(simLog)) {
            JsonNode e = json.readTree(line);
            long at = e.path("at").asLong();
            if ("turn_end".equals(e.path("event").asText()) && at >= from && at <= to) {
                n++;
            }
        }
        return n;
    }

    /** A kB field of /proc/PID/status (VmRSS, VmHWM); 0 when the process is gone. */
    private static long statusKb(long pid, String field) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        return 0;
    }

    private static long serverPid(Tmux tmux) {
        return tmux.panes("cpu").stream().findFirst().flatMap(p -> ProcessHandle.of(p.pid()))
                .flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    }

    /** {own user+system, waited-for children's user+system} in clock ticks, from /proc/PID/stat. */
    private static long[] cpuTicks(long pid) throws IOException {
        if (pid < 0) {
            return new long[] {0, 0};
        }
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The p-th percentile (0-100) of sorted values, nearest rank. */
    public static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Ends a measured run (when it started) and the private tmux server of its agents. */
    private static void end(Process run, Tmux tmux) {
        if (run != null) {
            run.destroy();
            try {
                run.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        tmux.killServer();
    }
}
