package dev.rulemux.cli;

import dev.rulemux.sim.Bench;
import dev.rulemux.sim.StartupBench;
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

/** {@code rulemux bench latency|cpu|startup}: the measurements behind docs/performance.md and docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure rulemux: 'latency' — from an agent's turn ending to its next prompt reaching the model, "
                + "with the real CLIs against the mock model server (or sim-agents); 'cpu' — what 'rulemux run' costs while "
                + "watching idle agents, with and without the tmux control-mode client; 'startup' — the cold commands (validate, decide, "
                + "a first tick of run), each in a fresh JVM, compiling the DRL, with the policy cache, and with the class-data "
                + "sharing archive too. Figures: docs/performance.md, docs/benchmarks.md."})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WHAT", description = "latency, cpu or startup")
    String what;

    @Option(names = "--agents", split = ",", paramLabel = "KIND",
            description = "latency: agents to run, of claude, codex, gemini, sim (default claude,codex,gemini)")
    List<String> agents = new ArrayList<>(List.of("claude", "codex", "gemini"));

    @Option(names = "--tasks", defaultValue = "12", description = "latency: tasks per agent (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--count", defaultValue = "3", description = "cpu: idle sim-agents watched (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--seconds", defaultValue = "30", description = "cpu: seconds measured (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--reps", defaultValue = "5", description = "startup: runs timed per command and set-up (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--commands", split = ",", paramLabel = "COMMAND",
            description = "startup: commands to time, of validate, decide, run (default all)")
    List<String> commands = new ArrayList<>(List.of("validate", "decide", "run"));

    @Option(names = "--interval-ms", defaultValue = "250", description = "the run's tick (default ${DEFAULT-VALUE})")
    long intervalMs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("rulemux-bench-");
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
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "WHAT must be latency, cpu or startup");
        }
        return ExitCodes.OK;
    }
}
