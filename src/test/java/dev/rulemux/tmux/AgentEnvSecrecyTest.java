package dev.rulemux.tmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's {@code env:} values (API keys) reach its pane without appearing in any process's argv, where every user
 * of the machine could read them with {@code ps}.
 */
class AgentEnvSecrecyTest {

    @TempDir
    Path dir;

    @Test
    void givenAnAgentWithASecretInItsEnvWhenItIsStartedAndRestartedThenNoTmuxArgvHoldsItAndThePaneHasIt() throws Exception {
        assumeTrue(Tmux.version().isPresent(), "tmux is not installed");
        // a tmux that writes down every argv it is run with, then runs the real tmux
        Path argvLog = dir.resolve("argv.log");
        Path recording = dir.resolve("tmux-recording");
        Files.writeString(recording, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + argvLog + "'\nexec tmux \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(recording, PosixFilePermissions.fromString("rwx------"));
        Tmux tmux = Tmux.withoutUserConfig("rulemux-test-" + UUID.randomUUID().toString().substring(0, 8), recording.toString());
        String secret = "sk-" + UUID.randomUUID() + " \"$HOME\" ~ #{pane_id} 'q' \\ ; end";
        Map<String, String> env = Map.of("API_KEY", secret, "PATH", System.getenv("PATH"));
        try {
            String first = tmux.newSession("secrecy", "a", dir, env, shows("a.out"), 80, 24);
            tmux.newWindow("secrecy", "b", dir, env, shows("b.out"));
            awaitFile(dir.resolve("a.out"), secret);
            awaitFile(dir.resolve("b.out"), secret);
            tmux.respawn(first, dir, env, shows("c.out"));
            awaitFile(dir.resolve("c.out"), secret);

            String argv = Files.readString(argvLog, StandardCharsets.UTF_8);
            assertThat(argv.lines().filter(l -> l.contains("source-file"))).hasSize(3); // the recording saw the three starts
            assertThat(argv).doesNotContain("sk-");
        } finally {
            tmux.killServer();
        }
    }

    /** A pane program that writes its API_KEY to {@code file}, then waits. */
    private List<String> shows(String file) {
        return List.of("sh", "-c", "printf '%s' \"$API_KEY\" > '" + dir.resolve(file) + ".tmp' && mv '" + dir.resolve(file)
                + ".tmp' '" + dir.resolve(file) + "'; exec sleep 60");
    }

    private static void awaitFile(Path file, String content) {
        PrivateTmux.await(dev.rulemux.Eventually.GENEROUS, file + " to hold the secret",
                () -> Files.isRegularFile(file) && content.equals(read(file)));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
