package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A smoke run of {@code rulemux bench startup}: it runs the cold commands and prints their figures (never judged here). */
class BenchStartupSmokeTest {

    @Test
    void givenOneRunOfValidate_whenTheStartupBenchRuns_thenItPrintsAFigurePerSetUpAndEveryRunExitedZero() {
        Cli cli = Cli.run("bench", "startup", "--reps", "1", "--commands", "validate");

        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out())
                .containsPattern("\\| validate \\| compiling the DRL \\| \\d+ \\| \\d+ \\| yes \\|")
                .containsPattern("\\| validate \\| policy cache \\| \\d+ \\| \\d+ \\| yes \\|");
    }
}
