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
    void ctrlCStopsARunAndLeavesTheAgentsRunning(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.rulemux.tmux.Tmux.version().isPresent(), "tmux is not installed");
        String socket = "rulemux-test-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(dir.resolve("agents.yaml"), "session: sigint\nsocket: " + socket
                + "\nagents:\n  - {name: a, profile: sim-agent, command: rulemux sim-agent --name a, tier: low}\n");
        Files.writeString(dir.resolve("tasks.yaml"), "tasks: []\n");
        dev.rulemux.tmux.Tmux tmux = new dev.rulemux.tmux.Tmux(socket, false);
        // `env --default-signal=INT`: a suite started in the background of a script inherits SIGINT ignored, as every
        // child of it would; a person's Ctrl-C reaches a run in the foreground, which is what is tested here.
        Process run = new ProcessBuilder("env", "--default-signal=INT", "./rulemux", "run", "--config", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("run.out").toFile()).start();
        try {
            dev.rulemux.tmux.PrivateTmux.await(Duration.ofSeconds(120), "the run to start its team (the launcher may first write its start-up archive)",
                    () -> Files.exists(dir.resolve("run.out")) && read(dir.resolve("run.out")).contains("started a"));
            // the agent is up (its own screen shows), so that the run has something to leave running
            dev.rulemux.tmux.PrivateTmux.await(Duration.ofSeconds(120), "agent a up",
                    () -> tmux.panes("sigint").stream().anyMatch(p -> tmux.capture(p.id()).contains("context used")));

            Exec.run(List.of("kill", "-INT", Long.toString(run.pid())), Duration.ofSeconds(5));

            assertThat(run.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("the run ended").isTrue();
            assertThat(read(dir.resolve("run.out"))).contains("stopped; the agents keep running");
            assertThat(tmux.panes("sigint")).singleElement().satisfies(p -> assertThat(p.dead()).isFalse());
        } finally {
            run.destroyForcibly();
            tmux.killServer();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
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
