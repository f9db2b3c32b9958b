package dev.rulemux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rulemux.proc.Exec;
import dev.rulemux.tmux.PrivateTmux;
import dev.rulemux.tmux.Tmux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of the README's {@code sh} blocks, run in order, as a newcomer would type them, in a copy of the
 * checkout (so that the checkout's own state is left alone) with the packaged jar. A command marked
 * {@code # runs until Ctrl-C} is run in a terminal (a tmux pane), looked at, then stopped with Ctrl-C. Two lines
 * are not run here: {@code scripts/test} (this suite) and the install line (what {@code .ci/run} does).
 */
class ReadmeCommandsJarIT {

    private static final Pattern SH_BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```");
    private static final String UNTIL_CTRL_C = "# runs until Ctrl-C";

    @TempDir
    Path temp;

    /** The README's sh blocks, in order. */
    static List<String> shBlocks(String readme) {
        List<String> blocks = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The parts of the checkout the README's commands use, and the packaged jar (newer than the sources). */
    private Path checkout(String socket) throws IOException {
        Path copy = Files.createDirectories(temp.resolve("rulemux"));
        for (String top : List.of("rulemux", "pom.xml", "agents.yaml", "tasks.yaml", "rules", "profiles", "prompts", "examples",
                "src/test/resources/screens")) {
            Path from = Path.of(top);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String rel = f.toString();
                    if (rel.contains("/.rulemux") || rel.contains("/logs") || rel.contains("/handoff") || rel.endsWith("ORCHESTRATION_STATUS.md")) {
                        continue;
                    }
                    Path to = copy.resolve(rel);
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        Path jar = Files.createDirectories(copy.resolve("target")).resolve("rulemux.jar");
        Files.copy(Path.of("target/rulemux.jar"), jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        // the demo team on a socket of this test's own, so that a demo the user runs meanwhile is left alone
        Path agents = copy.resolve("examples/demo/agents.yaml");
        Files.writeString(agents, Files.readString(agents).replaceFirst("(?m)^socket: .*$", "socket: " + socket));
        return copy;
    }

    @Test
    void everyCommandOfTheReadmeRunsAsWritten() throws Exception {
        PrivateTmux.start().close(); // skips when tmux is missing
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("sudo apt-get install -y openjdk-17-jdk maven tmux");
        List<String> blocks = shBlocks(readme);
        assertThat(blocks).as("the README's sh blocks").hasSizeGreaterThanOrEqualTo(8);
        assertThat(blocks.get(0)).as("the two commands").contains("./rulemux demo", "scripts/test");

        String socket = "rulemux-readme-" + UUID.randomUUID().toString().substring(0, 8);
        Path checkout = checkout(socket);
        StringBuilder transcript = new StringBuilder();
        try (PrivateTmux terminal = PrivateTmux.start()) {
            for (String block : blocks) {
                StringBuilder script = new StringBuilder();
                for (String line : block.split("\n", -1)) {
                    if (line.startsWith("scripts/test")) {
                        continue; // this very suite
                    }
                    if (line.endsWith(UNTIL_CTRL_C)) {
                        runScript(checkout, script, transcript);
                        script.setLength(0);
                        runUntilCtrlC(terminal, checkout, line.substring(0, line.indexOf('#')).strip(), transcript);
                    } else {
                        script.append(line).append('\n');
                    }
                }
                runScript(checkout, script, transcript);
            }
        } finally {
            new Tmux(socket, false).killServer();
            removeDemoDirs(transcript.toString());
        }

        String all = transcript.toString();
        assertThat(all).as("the demo").contains("✔ all 12 tasks completed");
        assertThat(all).as("the run on the demo team").contains("all tasks are done: 12 completed");
        assertThat(all).as("the task added").contains("added changelog-2");
        assertThat(all).as("decide before the rule").containsPattern("send_prompt +codex +fixtures");
        assertThat(all).as("decide after the rule").contains("dispatch-guard.drl:4  ");
    }

    /** The demo keeps its run under the temp directory for the user to look at; the test removes it. */
    private static void removeDemoDirs(String transcript) throws IOException {
        Matcher logs = Pattern.compile("(?m)^logs: +(/\\S+/rulemux-demo-[^/\\s]+)/logs").matcher(transcript);
        while (logs.find()) {
            try (Stream<Path> files = Files.walk(Path.of(logs.group(1)))) {
                for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Runs {@code script} with bash in the checkout; it must succeed. */
    private static void runScript(Path checkout, StringBuilder script, StringBuilder transcript) {
        if (script.toString().isBlank()) {
            return;
        }
        Exec.Result r = Exec.run(Exec.Call.of(List.of("bash", "-euo", "pipefail", "-c", script.toString()), Duration.ofMinutes(4))
                .in(checkout).withEnv(Map.of("COLUMNS", "160")));
        transcript.append("$ ").append(script).append(r.out()).append(r.err());
        assertThat(r.exitCode()).as("README commands:\n%s\nout:\n%s\nerr:\n%s", script, r.out(), r.err()).isZero();
    }

    /** Runs a long-lived command in a terminal, checks that it is up and showing something, then presses Ctrl-C. */
    private static void runUntilCtrlC(PrivateTmux terminal, Path checkout, String command, StringBuilder transcript) {
        String pane = terminal.tmux.newSession("s" + UUID.randomUUID().toString().substring(0, 6), "readme", checkout, Map.of(),
                List.of("bash", "-c", command + "; echo \"exit=$?\"; sleep 60"), 160, 40);
        String screen = terminal.awaitScreen(pane, dev.rulemux.Eventually.GENEROUS, command + " to show something",
                s -> s.contains("AGENT") || s.contains("http://127.0.0.1:"));
        assertThat(screen).as("%s is still running", command).doesNotContain("exit=");
        terminal.tmux.pressKeys(pane, List.of("C-c"));
        String end = terminal.awaitScreen(pane, dev.rulemux.Eventually.GENEROUS, command + " to stop on Ctrl-C", s -> s.contains("exit="));
        transcript.append("$ ").append(command).append('\n').append(screen).append('\n');
        assertThat(end).as(command).containsPattern("exit=(0|130)");
    }
}
