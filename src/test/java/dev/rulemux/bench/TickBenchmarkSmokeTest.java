package dev.rulemux.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** A smoke run of the JMH tick benchmark, in this JVM, on a small team: it runs and measures (never judged here). */
class TickBenchmarkSmokeTest {

    @Test
    void givenASmallTeam_whenTheTickBenchmarkRunsOnce_thenItReportsASampledTimePerEngine() throws Exception {
        Options options = new OptionsBuilder()
                .include(TickBenchmark.class.getName())
                .param("size", "6x60")
                .param("tick", "worst")
                .param("engine", "session", "fresh")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        assertThat(results).as("one result per engine").hasSize(2);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.getPrimaryResult().getSampleCount()).isPositive();
            assertThat(result.getPrimaryResult().getScore()).isPositive();
        });
    }
}
