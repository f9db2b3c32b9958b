package dev.rulemux.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.cli.RecordScreensCommand;
import dev.rulemux.sim.RealCliTests;
import dev.rulemux.sim.RealClis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code record-screens} records fixtures from a real CLI: Codex (the quickest to start) idle, working and
 * finished, and the shell idle, each with the text that tells its status apart.
 */
@Tag("realcli")
class ScreenRecorderRealCliTest {

    @Test
    void records_codex_idle_working_and_finished_and_the_idle_shell(@TempDir Path temp) throws Exception {
        // given
        RealCliTests.require("the screen recorder test");
        Path screens = temp.resolve("screens");
        StringWriter output = new StringWriter();
        CommandLine command = new CommandLine(new RecordScreensCommand());
        command.setOut(new PrintWriter(output, true));

        // when
        int code = command.execute("--out", screens.toString(), "--cli", "codex", "--cli", "shell",
                "--only", "idle", "working", "finished", "--work-root", temp.resolve("work").toString());

        // then
        assertThat(code).as("exit code; output:%n%s", output).isZero();
        Path codex = screens.resolve("codex");
        assertThat(output.toString().lines()).containsExactlyInAnyOrder(
                "wrote " + codex.resolve("idle.txt"), "wrote " + codex.resolve("finished.txt"),
                "wrote " + codex.resolve("working.txt"), "wrote " + screens.resolve("shell/idle.txt"));
        assertThat(read(codex.resolve("idle.txt"))).contains("Ask Codex to do anything").doesNotContain("esc to interrupt");
        assertThat(read(codex.resolve("working.txt"))).contains("Explain the build [mock work=30s]")
                .contains("Working (").contains("esc to interrupt");
        assertThat(read(codex.resolve("finished.txt"))).contains("Done. You said: Explain the build")
                .contains("Worked for").doesNotContain("esc to interrupt");
        assertThat(read(codex.resolve("idle.txt")).lines()).hasSize(50);
        assertThat(read(screens.resolve("shell/idle.txt")).strip()).isEqualTo("shell$");
        assertThat(read(codex.resolve("README.md"))).contains("# Codex screens", "## idle", "## working", "## finished",
                "Codex " + RealClis.CODEX_VERSION, "[mock work=30s]").doesNotContain("## approval");
        assertThat(codex.resolve("approval.txt")).doesNotExist();
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
