package dev.rulemux.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.TaskState;
import dev.rulemux.proc.SelfCommand;
import dev.rulemux.tmux.PrivateTmux;
import dev.rulemux.tmux.Tmux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the loop at random moments of a scripted run, then run again: no task lost, none completed twice,
 * no prompt delivered twice, a consistent database; the same end as a run that was never killed.
 */
class CrashSafetyIT {

    private static final Pattern TASK = Pattern.compile("\\[rulemux task (\\S+)]");

    @TempDir
    Path root;

    private static final String TASKS = """
            tasks:
              - {id: design, complexity: high, priority: high, prompt: "Design [mock work=2s]"}
              - {id: model, complexity: medium, priority: high, depends_on: [design], prompt: "Model [mock work=1500ms]"}
              - {id: lint, complexity: low, priority: high, prompt: "Lint [mock work=1s]", verify: "true"}
              - {id: routes, complexity: medium, depends_on: [model], prompt: "Routes [mock work=1500ms tool=shell]"}
              - {id: unit, complexity: low, depends_on: [model], prompt: "Unit tests [mock work=1s]"}
              - {id: fixtures, complexity: low, priority: low, prompt: "Fixtures [mock work=1s]"}
              - {id: errors, complexity: medium, depends_on: [design], prompt: "Errors [mock work=1s]", verify: "true"}
              - {id: review, complexity: high, depends_on: [routes, unit], prompt: "Review [mock work=1500ms]"}
              - {id: docs, complexity: low, priority: low, depends_on: [routes], prompt: "Docs [mock work=1s]"}
              - {id: perf, complexity: high, priority: low, depends_on: [review], prompt: "Perf [mock work=1s]"}
            """;

    private Path team(String name, String socket) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        StringBuilder agents = new StringBuilder("session: crash\nsocket: " + socket + "\nagents:\n");
        for (String[] a : new String[][] {{"alpha", "high"}, {"beta", "medium"}, {"gamma", "low"}}) {
            agents.append("  - {name: ").append(a[0]).append(", profile: sim-agent, tier: ").append(a[1])
                    .append(", approvals: auto, command: [rulemux, sim-agent, --name, ").append(a[0]).append(", --log, ")
                    .append(dir.resolve("prompts.log")).append("]}\n");
        }
        Files.writeString(dir.resolve("agents.yaml"), agents);
        Files.writeString(dir.resolve("tasks.yaml"), TASKS);
        return dir;
    }

    private static Process run(Path dir, int round) throws IOException {
        List<String> argv = new ArrayList<>(SelfCommand.resolve(List.of("rulemux")));
        argv.addAll(List.of("run", "--config", dir.toString(), "--exit-when-done", "--interval-ms", "200"));
        return new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("run-" + round + ".out").toFile())).start();
    }

    @Test
    void killingTheLoopAtRandomMomentsLosesNothingAndDeliversNothingTwice() throws Exception {
        PrivateTmux.start().close(); // skips when tmux is missing
        String cleanSocket = "rulemux-test-" + UUID.randomUUID().toString().substring(0, 8);
        String crashSocket = "rulemux-test-" + UUID.randomUUID().toString().substring(0, 8);
        Tmux clean = new Tmux(cleanSocket, false);
        Tmux crashed = new Tmux(crashSocket, false);
        try {
            // the reference: a run that is never killed
            Path reference = team("reference", cleanSocket);
            Process once = run(reference, 0);
            assertThat(once.waitFor(180, TimeUnit.SECONDS)).as("the reference run ends").isTrue();
            assertThat(once.exitValue()).isZero();
            assertThat(Files.readString(reference.resolve("ORCHESTRATION_STATUS.md"))).as("the loop keeps the status document")
                    .contains("No task is pending or in flight.", "| perf ", "| review ", "COMPLETED");

            // the same run, killed -9 at random moments and started again until it ends by itself
            Path dir = team("crashed", crashSocket);
            long seed = System.nanoTime();
            Random random = new Random(seed);
            int kills = 0;
            int round = 0;
            while (true) {
                Process p = run(dir, round++);
                long wait = kills < 6 ? 1500 + random.nextInt(3500) : 600_000;
                if (p.waitFor(wait, TimeUnit.MILLISECONDS)) {
                    assertThat(p.exitValue()).as("round %d (seed %d)", round, seed).isZero();
                    break;
                }
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
                kills++;
            }
            assertThat(kills).as("the run was killed several times (seed %d)", seed).isGreaterThanOrEqualTo(3);

            // then: the same end as the run that was never killed
            assertThat(finalStates(dir)).as("seed %d", seed).isEqualTo(finalStates(reference))
                    .allSatisfy((id, state) -> assertThat(state).isEqualTo(TaskState.COMPLETED));
            assertThat(deliveries(dir)).as("each prompt delivered exactly once (seed %d)", seed)
                    .isEqualTo(deliveries(reference)).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(completions(dir)).as("none completed twice (seed %d)", seed)
                    .allSatisfy((id, n) -> assertThat(n).isEqualTo(1)).hasSize(10);
            assertThat(integrity(dir)).isEqualTo("ok");
        } finally {
            clean.killServer();
            crashed.killServer();
        }
    }

    private static Map<String, TaskState> finalStates(Path dir) {
        Map<String, TaskState> out = new TreeMap<>();
        try (StateStore store = StateStore.open(dir)) {
            for (TaskRecord r : store.records()) {
                out.put(r.id(), r.state());
            }
        }
        return out;
    }

    /** How many times each task's prompt reached an agent. */
    private static Map<String, Integer> deliveries(Path dir) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve("prompts.log"))) {
            JsonNode n = json.readTree(line);
            if (n.has("prompt")) {
                Matcher m = TASK.matcher(n.get("prompt").asText());
                if (m.find()) {
                    out.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    private static Map<String, Integer> completions(Path dir) {
        Map<String, Integer> out = new TreeMap<>();
        try (StateStore store = StateStore.open(dir)) {
            for (Journal.Event e : store.events(0, 100_000)) {
                if (e.kind() == Journal.Kind.TRANSITION && e.detail().contains(" -> COMPLETED")) {
                    out.merge(e.task(), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    private static String integrity(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(StateStore.FILE));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            return r.next() ? r.getString(1) : "?";
        }
    }
}
