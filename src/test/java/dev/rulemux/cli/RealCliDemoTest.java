package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.sim.RealCliTests;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rulemux demo --real}: the architect is the real Claude Code, the builder the real Codex. */
@Tag("realcli")
class RealCliDemoTest {

    @TempDir
    Path temp;

    @Test
    void theDemoRunsWithTheRealClaudeCodeAndCodexAgainstTheMockModelServer() {
        RealCliTests.require("rulemux demo --real");
        Path dir = temp.resolve("real");

        Cli demo = Cli.run("demo", "--real", "--dir", dir.toString());

        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        assertThat(dir.resolve("agents.yaml")).content().contains("\"profile\":\"claude-code\"", "\"profile\":\"codex\"");
        assertThat(demo.out()).contains("✔ all 12 tasks completed")
                // Codex asks before it runs the routes' shell command; the rules answer it
                .containsPattern("(?m)^routes +builder +completed .*approval answered$")
                .containsPattern("(?m)^design-api +architect +completed ");
    }
}
