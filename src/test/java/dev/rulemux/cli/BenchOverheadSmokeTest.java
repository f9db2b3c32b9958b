package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A smoke run of {@code rulemux bench overhead}: rulemux run over two sim-agents, idle then busy, for two seconds each (never judged here). */
@Tag("slow")
class BenchOverheadSmokeTest {

    @Test
    void givenTwoSimAgents_whenTheOverheadBenchRuns_thenItPrintsCpuAndMemoryForTheIdleAndTheBusyTeam() {
        Cli cli = Cli.run("bench", "overhead", "--agents", "2", "--seconds", "2");

        assertThat(cli.exit()).as(cli.out() + cli.err()).isZero();
        String figures = "\\| [\\d.]+ ms/s \\([\\d.]+ % of a core\\) \\| [\\d.]+ ms/s \\| \\d+ \\| \\d+ \\| \\d+ \\|";
        assertThat(cli.out())
                .containsPattern("\\| 2 \\| idle " + figures)
                .containsPattern("\\| 2 \\| busy " + figures);
    }

    @Test
    void givenAgentKindsInsteadOfANumber_whenTheOverheadBenchRuns_thenItIsAUsageError() {
        Cli cli = Cli.run("bench", "overhead", "--agents", "claude,codex");

        assertThat(cli.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err()).contains("--agents claude,codex: overhead takes a number of sim-agents");
    }
}
