package dev.rulemux.cli;

import dev.rulemux.devtools.Bench;
import dev.rulemux.devtools.DeliveryBench;
import dev.rulemux.devtools.StartupBench;
import dev.rulemux.devtools.TickBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rulemux bench latency|cpu|startup|tick|delivery|overhead}: the measurements behind docs/performance.md and docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure rulemux: 'latency' — from an agent's turn ending to its next prompt reaching the model, "
                + "with the real CLIs against the mock model server (or sim-agents); 'cpu' — what 'rulemux run' costs while "
                + "watching idle agents, with and without the tmux control-mode client; 'startup' — the cold commands (validate, decide, "
                + "a first tick of run), each in a fresh JVM, compiling the DRL, with the policy cache, and with the class-data "
                + "sharing archive too; 'tick' — one decision of the shipped rules for teams and queues of growing size, steady and worst; "
                + "'delivery' — prompts of every kind typed into the real Claude Code and Codex three ways (the naive send-keys with Enter, "
                + "send-keys then Enter 3 s later, rulemux), and what reached the model; 'overhead' — CPU and memory of 'rulemux run' "
                + "over idle and over busy sim-agents. Figures: docs/performance.md, docs/benchmarks.md."})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WHAT", description = "latency, cpu, startup, tick, delivery or overhead")
    String what;

    @Option(names = "--agents", split = ",", paramLabel = "KIND",
            description = "latency: agents to run, of claude, codex, gemini, sim (default claude,codex,gemini); "
                    + "overhead: how many sim-agents (default 20)")
    List<String> agents = new ArrayList<>(List.of("claude", "codex", "gemini"));

    @Option(names = "--tasks", defaultValue = "12", description = "latency: tasks per agent (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--count", defaultValue = "3", description = "cpu: idle sim-agents watched (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--seconds", defaultValue = "30", description = "cpu, overhead: seconds measured (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--reps", defaultValue = "5", description = "startup: runs timed per command and set-up (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--commands", split = ",", paramLabel = "COMMAND",
            description = "startup: commands to time, of validate, decide, run (default all)")
    List<String> commands = new ArrayList<>(List.of("validate", "decide", "run"));

    @Option(names = "--sizes", split = ",", paramLabel = "AxT",
            description = "tick: team sizes, AGENTSxTASKS (default 10x100,10x1000,100x1000,100x10000)")
    List<String> sizes = new ArrayList<>(List.of("10x100", "10x1000", "100x1000", "100x10000"));

    @Option(names = "--ticks", split = ",", paramLabel = "KIND", description = "tick: steady, worst (default both)")
    List<String> ticks = new ArrayList<>(List.of("steady", "worst"));

    @Option(names = "--engines", split = ",", paramLabel = "ENGINE",
            description = "tick: session (as run decides: one long-lived session), fresh (as decide does: a new session per tick); default both")
    List<String> engines = new ArrayList<>(List.of("session", "fresh"));

    @Option(names = "--warmup", defaultValue = "5", description = "tick: untimed ticks per row (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--runs", defaultValue = "20", description = "tick: timed ticks per row (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--clis", split = ",", paramLabel = "CLI", description = "delivery: CLIs, of claude, codex, gemini, qwen, opencode (default claude, codex)")
    List<String> clis = new ArrayList<>(List.of("claude", "codex"));

    @Option(names = "--prompts", defaultValue = "100", description = "delivery: prompts per way and CLI (default ${DEFAULT-VALUE})")
    int prompts;

    @Option(names = "--ways", split = ",", paramLabel = "WAY",
            description = "delivery: of naive, workaround, rulemux (default all three)")
    List<String> ways = new ArrayList<>(List.of("naive", "workaround", "rulemux"));

    @Option(names = "--interval-ms", defaultValue = "250", description = "the run's tick (default ${DEFAULT-VALUE})")
    long intervalMs;

    @Option(names = "--work", paramLabel = "DIR", description = "where the bench's team lives (default a new temporary "
            + "folder; Gemini CLI's hooks are wired only in a folder root owns all the way up, not under /tmp)")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = workDir == null ? Files.createTempDirectory("rulemux-bench-")
                : Files.createTempDirectory(Files.createDirectories(workDir.toAbsolutePath()), "rulemux-bench-");
        Duration interval = Duration.ofMillis(intervalMs);
        switch (what) {
            case "latency" -> {
                List<Bench.Kind> kinds = agents.stream().map(a -> Bench.Kind.valueOf(a.strip().toUpperCase(Locale.ROOT))).toList();
                out.printf("latency: %s, %d one-second tasks each, tick %d ms (%s)%n", String.join(", ", agents), tasks,
                        intervalMs, work);
                Bench.Latency l = Bench.latency(kinds, tasks, interval, work, out);
                out.println("| agent | hand-overs | p50 ms | p95 ms | max ms |");
                out.println("| --- | --- | --- | --- | --- |");
                l.byAgent().forEach((agent, values) -> {
                    List<Long> sorted = new ArrayList<>(values);
                    sorted.sort(null);
                    out.printf("| %s | %d | %d | %d | %d |%n", agent, sorted.size(), Bench.percentile(sorted, 50),
                            Bench.percentile(sorted, 95), sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
                });
                List<Long> all = l.all();
                out.printf("| all | %d | %d | %d | %d |%n", all.size(), Bench.percentile(all, 50), Bench.percentile(all, 95),
                        all.isEmpty() ? -1 : all.get(all.size() - 1));
                out.printf("wall time of the run: %.1f s%n", l.wall().toMillis() / 1000.0);
            }
            case "cpu" -> {
                out.printf("cpu: rulemux run watching %d idle sim-agents, tick %d ms, %d s measured%n", count, intervalMs, seconds);
                out.println("| reads | rulemux (with its tmux clients) | tmux server | total |");
                out.println("| --- | --- | --- | --- |");
                for (boolean control : new boolean[] {false, true}) {
                    Bench.Cpu c = Bench.idleCpu(count, interval, Duration.ofSeconds(seconds), control,
                            Files.createTempDirectory(work, control ? "control-" : "exec-"));
                    out.printf("| %s | %.1f ms/s (%.2f %% of a core) | %.1f ms/s | %.2f %% |%n",
                            control ? "control-mode client" : "one tmux process per read", c.rulemuxMsPerSecond(),
                            c.rulemuxMsPerSecond() / 10, c.tmuxServerMsPerSecond(),
                            (c.rulemuxMsPerSecond() + c.tmuxServerMsPerSecond()) / 10);
                }
            }
            case "startup" -> {
                out.printf("startup: %s, %d timed runs each, wall ms from starting java to its exit (%s)%n",
                        String.join(", ", commands), reps, work);
                List<StartupBench.Row> rows = StartupBench.run(commands, reps, work, out);
                out.println("| command | set-up | median ms | min ms | all exited 0 |");
                out.println("| --- | --- | --- | --- | --- |");
                for (StartupBench.Row r : rows) {
                    out.printf("| %s | %s | %d | %d | %s |%n", r.command(), r.setup(), r.median(), r.min(), r.ok() ? "yes" : "NO");
                }
            }
            case "tick" -> {
                Path home = Path.of(System.getProperty("rulemux.home", ".")).toAbsolutePath().normalize();
                out.printf("tick: the shipped rules on recorded Claude Code screens, %d untimed and %d timed ticks per row (%s)%n",
                        warmup, runs, work);
                out.println("| agents | tasks | tick | engine | p50 ms | p99 ms | max ms | CPU p50 ms | actions | heap MB |");
                out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
                for (String size : sizes) {
                    String[] at = size.strip().toLowerCase(Locale.ROOT).split("x");
                    if (at.length != 2) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                                "--sizes " + size + ": expected AGENTSxTASKS, e.g. 100x10000");
                    }
                    int a = Integer.parseInt(at[0]);
                    int t = Integer.parseInt(at[1]);
                    for (String kind : ticks) {
                        boolean worst = kind.equals("worst");
                        for (String engine : engines) {
                            TickBench.Engine how;
                            try {
                                how = TickBench.Engine.of(engine.strip());
                            } catch (IllegalArgumentException e) {
                                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                                        "--engines " + engine + ": expected session or fresh");
                            }
                            try (TickBench.Scenario s = TickBench.scenario(home, work, a, t, worst, how)) {
                                TickBench.Result r = TickBench.measure(s, kind, warmup, runs);
                                out.printf(Locale.ROOT, "| %d | %d | %s | %s | %.1f | %.1f | %.1f | %.1f | %d | %d |%n", r.agents(),
                                        r.tasks(), r.tick(), engine.strip(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.cpuP50Ms(),
                                        r.actions(), r.heapMb());
                                out.flush();
                            }
                        }
                    }
                }
            }
            case "delivery" -> delivery(out, work);
            case "overhead" -> overhead(out, work, interval);
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "WHAT must be latency, cpu, startup, tick, delivery or overhead");
        }
        return ExitCodes.OK;
    }

    private void delivery(PrintWriter out, Path work) {
        if (prompts < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--prompts " + prompts + ": expected 1 or more");
        }
        List<DeliveryBench.Target> targets = new ArrayList<>();
        for (String c : clis) {
            try {
                targets.add(DeliveryBench.Target.valueOf(c.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--clis " + c + ": expected claude, codex, gemini, qwen or opencode");
            }
        }
        List<DeliveryBench.Way> how = new ArrayList<>();
        for (String w : ways) {
            try {
                how.add(DeliveryBench.Way.valueOf(w.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--ways " + w + ": expected naive, workaround or rulemux");
            }
        }
        out.printf("delivery: %d prompts per way into %s, instant model turns (%s)%n", prompts, String.join(", ", clis), work);
        out.flush();
        List<DeliveryBench.Row> rows = DeliveryBench.run(targets, prompts, how, work, out);
        out.println("| CLI | way | prompts | submitted % | byte-exact % | duplicates | median s to the model | s per prompt | ms paste to Enter | Enter again |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (DeliveryBench.Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %d | %s | %.1f | %s | %s |%n", r.cli(), r.way().label(), r.prompts(),
                    100.0 * r.submitted() / r.prompts(), 100.0 * r.exact() / r.prompts(), r.duplicates(),
                    r.toModelMedianMs() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.toModelMedianMs() / 1000.0),
                    r.secondsPerPrompt(), r.toKeysMedianMs() < 0 ? "-" : Long.toString(r.toKeysMedianMs()),
                    r.enterAgain() < 0 ? "-" : Integer.toString(r.enterAgain()));
        }
        for (DeliveryBench.Row r : rows) {
            if (!r.failures().isEmpty()) {
                out.printf("%s, %s: %s%n", r.cli(), r.way().name().toLowerCase(Locale.ROOT), r.failures());
            }
        }
    }

    private void overhead(PrintWriter out, Path work, Duration interval) throws java.io.IOException {
        int n = 20;
        if (spec.commandLine().getParseResult().hasMatchedOption("--agents")) {
            try {
                n = agents.size() == 1 ? Integer.parseInt(agents.get(0).strip()) : -1;
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--agents " + String.join(",", agents) + ": overhead takes a number of sim-agents, e.g. 20");
            }
        }
        out.printf("overhead: rulemux run over %d sim-agents, idle then busy, tick %d ms, %d s measured each (%s)%n", n,
                intervalMs, seconds, work);
        out.flush();
        out.println("| agents | team | rulemux CPU (with its tmux clients) | tmux server CPU | peak RSS MB | avg RSS MB | turns ended |");
        out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (boolean busy : new boolean[] {false, true}) {
            Bench.Overhead o = Bench.overhead(n, busy, interval, Duration.ofSeconds(seconds),
                    Files.createTempDirectory(work, busy ? "busy-" : "idle-"));
            out.printf(Locale.ROOT, "| %d | %s | %.1f ms/s (%.2f %% of a core) | %.1f ms/s | %.0f | %.0f | %d |%n", o.agents(),
                    busy ? "busy" : "idle", o.rulemuxMsPerSecond(), o.rulemuxMsPerSecond() / 10, o.tmuxServerMsPerSecond(),
                    o.peakRssKb() / 1024.0, o.avgRssKb() / 1024.0, o.turns());
            out.flush();
        }
    }
}
