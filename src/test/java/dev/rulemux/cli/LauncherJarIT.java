package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.proc.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packaged jar through the ./rulemux launcher, from the checkout, as the README tells a user to run it. */
class LauncherJarIT {

    private static Exec.Result rulemux(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("./rulemux"));
        argv.addAll(List.of(args));
        return Exec.run(argv, Duration.ofSeconds(120));
    }

    @Test
    void theLauncherRunsTheFreshlyPackagedJarWithoutRebuildingIt() {
        assertThat(Path.of("target/rulemux.jar")).exists();

        Exec.Result help = rulemux("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("validate", "decide", "run", "start", "stop", "health", "send", "capture");
        assertThat(help.err()).doesNotContain("building");
    }

    @Test
    void validateAndDecideWorkFromThePackagedJar() throws Exception {
        Exec.Result validate = rulemux("validate");
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        assertThat(validate.out()).endsWith("ok\n");

        Exec.Result decide = rulemux("decide", "--config", "src/test/resources/policy-team",
                "--screen", "claude=src/test/resources/screens/claude-code/idle.txt", "--json");
        assertThat(decide.exitCode()).as(decide.err()).isZero();
        assertThat(decide.out()).contains("\"status\":\"IDLE\"", "\"action\":\"send_prompt\"");
    }

    @Test
    void aRuleEditNeedsNoRebuildAndIsReadAtRunTime(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // touching the checkout's rules does not make the launcher rebuild the jar
        Path shipped = Path.of("rules/status.drl");
        Files.setLastModifiedTime(shipped, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        for (String f : List.of("agents.yaml", "tasks.yaml")) {
            Files.copy(Path.of("src/test/resources/policy-team", f), dir.resolve(f));
        }
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/policy.yaml"), "stuck_after: 7s\n");

        Exec.Result decide = rulemux("decide", "--config", dir.toString(),
                "--screen", "claude=src/test/resources/screens/claude-code/working.txt", "--unchanged-ms", "claude=8000");

        assertThat(decide.out()).contains("STUCK");
        assertThat(decide.err()).doesNotContain("building");
    }
}
