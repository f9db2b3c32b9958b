package dev.rulemux.bench;

import dev.rulemux.rules.Decision;
import dev.rulemux.devtools.TickBench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: one tick of the shipped policy (read the screens, gather the facts, fire the rules) for a team of
 * {@code agents} Claude Code agents and a queue of {@code tasks}, steady (nine agents in ten at work) or worst
 * (every agent idle, every task pending). The team is {@link TickBench}'s. Run with {@code scripts/bench-tick};
 * figures in docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseSerialGC")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TickBenchmark {

    /** AGENTSxTASKS. */
    @Param({"10x100", "10x1000", "10x10000", "100x100", "100x1000", "100x10000", "1000x100", "1000x1000", "1000x10000"})
    public String size;

    @Param({"steady", "worst"})
    public String tick;

    /** session: as {@code run} decides (one long-lived session); fresh: as {@code decide} does. */
    @Param({"session", "fresh"})
    public String engine;

    private TickBench.Scenario scenario;
    private Path work;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String[] at = size.split("x");
        work = Files.createTempDirectory("rulemux-jmh-");
        Path home = Path.of(System.getProperty("rulemux.home", ".")).toAbsolutePath();
        scenario = TickBench.scenario(home, work, Integer.parseInt(at[0]), Integer.parseInt(at[1]), tick.equals("worst"),
                TickBench.Engine.of(engine));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        scenario.close();
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Decision decide() {
        return scenario.tick();
    }
}
