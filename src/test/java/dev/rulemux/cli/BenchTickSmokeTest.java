package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A smoke run of {@code rulemux bench tick}: it decides for a small team and prints its figures (never judged here). */
class BenchTickSmokeTest {

    @Test
    void givenASmallTeam_whenTheTickBenchRuns_thenItPrintsARowPerTickAndEngineWithEveryIdleAgentGivenATask() {
        Cli cli = Cli.run("bench", "tick", "--sizes", "6x60", "--warmup", "0", "--runs", "2");

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out())
                .containsPattern("\\| 6 \\| 60 \\| steady \\| session \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| 1 \\| \\d+ \\|")
                .containsPattern("\\| 6 \\| 60 \\| steady \\| fresh \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| 1 \\| \\d+ \\|")
                .containsPattern("\\| 6 \\| 60 \\| worst \\| session \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| 6 \\| \\d+ \\|")
                .containsPattern("\\| 6 \\| 60 \\| worst \\| fresh \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| 6 \\| \\d+ \\|");
    }

    @Test
    void givenASizeWithoutAnX_whenTheTickBenchRuns_thenItIsAUsageError() {
        Cli cli = Cli.run("bench", "tick", "--sizes", "600");

        assertThat(cli.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err()).contains("--sizes 600: expected AGENTSxTASKS");
    }
}
