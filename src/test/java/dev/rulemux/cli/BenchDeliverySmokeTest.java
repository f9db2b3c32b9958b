package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.sim.RealCliTests;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A smoke run of {@code rulemux bench delivery}: one prompt into the real Codex each of the three ways, and a row
 * of figures per way (timings never judged here). Skipped, with the reason, when the CLIs are not installed.
 */
@Tag("realcli")
class BenchDeliverySmokeTest {

    @Test
    void givenOnePromptIntoCodex_whenTheDeliveryBenchRuns_thenItPrintsARowPerWayAndRulemuxDeliveredItWhole() {
        RealCliTests.require("the delivery bench smoke run");

        Cli cli = Cli.run("bench", "delivery", "--clis", "codex", "--prompts", "1");

        assertThat(cli.exit()).as(cli.out() + cli.err()).isZero();
        String figures = "\\| 1 \\| \\d+ \\| \\d+ \\| \\d+ \\| ([\\d.]+|-) \\| [\\d.]+ \\|";
        assertThat(cli.out())
                .containsPattern("\\| codex \\| `send-keys \"TEXT\" Enter` " + figures)
                .containsPattern("\\| codex \\| `send-keys \"TEXT\"`, sleep 3 s, `send-keys Enter` " + figures)
                // rulemux's own delivery of a short prompt: submitted, byte for byte, once
                .containsPattern("\\| codex \\| rulemux \\(.*\\) \\| 1 \\| 100 \\| 100 \\| 0 \\| [\\d.]+ \\| [\\d.]+ \\|");
    }

    @Test
    void givenACliTheBenchDoesNotDrive_whenTheDeliveryBenchRuns_thenItIsAUsageErrorNamingIt() {
        Cli cli = Cli.run("bench", "delivery", "--clis", "aider", "--prompts", "1");

        assertThat(cli.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err()).contains("--clis aider: expected claude, codex, gemini, qwen or opencode");
    }
}
