package dev.rulemux.cli;

import dev.rulemux.config.TaskSpecs;
import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.App;
import dev.rulemux.Main;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.Status;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import dev.rulemux.board.Journal;
import dev.rulemux.store.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rulemux status, rulemux events and rulemux export. */
class StatusEventsExportTest {

    @TempDir
    Path dir;

    String config;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void aConfigDirectory() {
        write(dir, "agents.yaml", TWO_SHELLS); // alpha (high), beta (low)
        config = dir.toString();
    }

    static TaskSpec task(String id, Tier complexity, String... dependsOn) {
        return TaskSpecs.task(id, complexity, dependsOn);
    }

    /** Five tasks, one in each bucket of the export; alpha seen by a loop {@code ageMs} ago, working on t2. */
    void aTeamSeen(long ageMs) {
        long now = System.currentTimeMillis();
        try (StateStore store = StateStore.open(dir)) {
            store.add(task("t1", Tier.HIGH), "tasks.yaml");
            store.add(task("t2", Tier.HIGH, "t1"), "tasks.yaml");
            store.add(task("t3", Tier.LOW), "tasks.yaml");
            store.add(task("t4", Tier.LOW), "tasks.yaml");
            store.add(task("t5", Tier.LOW), "tasks.yaml");
            store.delivered("t1", "alpha", now - 60_000, null);
            store.move("t1", TaskState.COMPLETED, null, "alpha reported it done");
            store.delivered("t2", "alpha", now - 30_000, null);
            store.move("t2", TaskState.IN_PROGRESS, null, "alpha is at work on it");
            store.move("t3", TaskState.BLOCKED, null, "reported blocked by beta: no access");
            store.move("t5", TaskState.CANCELLED, null, "not needed");
            store.agent(new Journal.AgentState("alpha", Status.WORKING, "a working marker", "t2", 42, now - 30_000, now - ageMs,
                    List.of("⠼ Working…")));
        }
    }

    // ------------------------------------------------------------------------------------------ status

    @Test
    void statusShowsTheAgentsAsTheLoopSawThemAndTheTasks() {
        aTeamSeen(1_000);

        Cli r = Cli.run("status", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("""
                agents:
                AGENT  STATUS   TASK  CONTEXT  SINCE
                alpha  WORKING  t2    42%      \\d\\d:\\d\\d:\\d\\d
                beta   unknown  -     -        never seen

                tasks: 1 pending, 1 in_progress, 1 completed, 1 blocked, 1 cancelled
                TASK  STATE        AGENT    ATTEMPTS
                t1    COMPLETED    \\(alpha\\)  1/3
                t2    IN_PROGRESS  alpha    1/3
                t3    BLOCKED      -        0/3
                t4    PENDING      -        0/3
                t5    CANCELLED    -        0/3
                """);
    }

    @Test
    void statusSaysAsOfWhenTheLoopLastLookedMoreThanTenSecondsAgo() {
        aTeamSeen(125_000);

        Cli r = Cli.run("status", "--config", config);

        assertThat(r.out()).containsPattern("^no rulemux run is running \\(the last one recorded the team 2m \\d+s ago\\): reports, new "
                + "tasks and retries wait until one starts \\(rulemux run\\)\nagents as of \\d\\d:\\d\\d:\\d\\d \\(2m \\d+s ago, when rulemux "
                + "run last recorded them\\):\n");
    }

    @Test
    void statusOfAConfigDirectoryWithAnEmptyStateListsTheDeclaredAgentsAsUnknown() {
        StateStore.open(dir).close();

        Cli r = Cli.run("status", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                no rulemux run is running (none has run here yet): reports, new tasks and retries wait until one starts (rulemux run)
                agents (no rulemux run has looked at them yet):
                AGENT  STATUS   TASK  CONTEXT  SINCE
                alpha  unknown  -     -        never seen
                beta   unknown  -     -        never seen

                tasks: none
                """);
    }

    @Test
    void givenATeamSpreadOverHosts_thenStatusShowsEachAgentsHost_thisMachinesAsLocal_inTheTableAndTheJson() throws Exception {
        write(dir, "agents.yaml", TWO_SHELLS.replace("    tier: low\n", "    tier: low\n    host: dev@gpu-box\n"));
        aTeamSeen(1_000);

        Cli table = Cli.run("status", "--config", config);
        Cli doc = Cli.run("status", "--json", "--config", config);

        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("AGENT +HOST +STATUS")
                .containsPattern("alpha +local +WORKING +t2").containsPattern("beta +dev@gpu-box +unknown");
        List<JsonNode> agents = TaskCommandsTest.elements(json.readTree(doc.out()).get("agents"));
        assertThat(agents).extracting(a -> a.get("name").asText() + " " + a.get("host").asText(null))
                .containsExactly("alpha null", "beta dev@gpu-box");
    }

    @Test
    void statusAsJsonIsOneDocumentOfAgentsAndTasks() throws Exception {
        aTeamSeen(1_000);
        try (StateStore store = StateStore.open(dir)) {
            store.agent(new Journal.AgentState("gone", Status.EXITED, "back at a shell", null, null, 1_000, 2_000, List.of()));
        }

        Cli r = Cli.run("status", "--json", "--config", config);

        JsonNode doc = json.readTree(r.out());
        assertThat(TaskCommandsTest.fieldNames(doc)).containsExactly("loop", "agents", "tasks");
        assertThat(doc.get("loop").get("running").asBoolean()).isTrue();
        assertThat(doc.get("loop").get("last_seen").asText()).endsWith("Z");
        List<JsonNode> agents = TaskCommandsTest.elements(doc.get("agents"));
        assertThat(agents).extracting(a -> a.get("name").asText() + " " + a.get("status").asText() + " " + a.get("seen").asBoolean())
                .containsExactly("alpha WORKING true", "beta UNKNOWN false", "gone EXITED true");
        JsonNode alpha = agents.get(0);
        assertThat(TaskCommandsTest.fieldNames(alpha)).containsExactly("name", "host", "status", "seen", "task", "context_used_percent",
                "since", "reason", "updated_at");
        assertThat(alpha.get("task").asText()).isEqualTo("t2");
        assertThat(alpha.get("context_used_percent").asInt()).isEqualTo(42);
        assertThat(alpha.get("since").asText()).endsWith("Z");
        assertThat(agents.get(1).get("context_used_percent").isNull()).isTrue();
        assertThat(agents.get(1).get("since").isNull()).isTrue();
        List<JsonNode> tasks = TaskCommandsTest.elements(doc.get("tasks"));
        assertThat(tasks).extracting(t -> t.get("id").asText() + " " + t.get("state").asText())
                .containsExactly("t1 COMPLETED", "t2 IN_PROGRESS", "t3 BLOCKED", "t4 PENDING", "t5 CANCELLED");
        assertThat(TaskCommandsTest.fieldNames(tasks.get(1))).containsExactly("id", "state", "agent", "last_agent", "attempts",
                "max_attempts");
    }

    @Test
    void givenTasksDeclaredInTasksYamlThatNoRunHasLoaded_whenStatusAndTaskList_thenTheyAreShownAsDeclaredNotYetLoaded_andNothingIsWritten() {
        write(dir, "tasks.yaml", """
                tasks:
                  - {id: design, complexity: high, priority: high, prompt: Design it.}
                  - {id: build, complexity: low, depends_on: [design], prompt: Build it.}
                """);

        Cli status = Cli.run("status", "--config", config);
        Cli list = Cli.run("task", "list", "--config", config);
        Cli pending = Cli.run("task", "list", "--state", "pending", "--json", "--config", config);

        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).endsWith("""

                tasks: 2 declared in tasks.yaml, not yet loaded
                TASK    STATE     AGENT  ATTEMPTS
                design  PENDING*  -      0/3
                build   PENDING*  -      0/3
                * declared in tasks.yaml, not yet loaded: rulemux run loads it and dispatches it
                """);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).isEqualTo("""
                ID      STATE     COMPLEXITY  PRIORITY  AGENT  ATTEMPTS  TITLE
                design  PENDING*  high        high      -      0/3       design
                build   PENDING*  low         medium    -      0/3       build
                * declared in tasks.yaml, not yet loaded: rulemux run loads it and dispatches it
                """);
        assertThat(TaskCommandsTest.elements(readJson(pending.out()))).extracting(t -> t.get("id").asText() + " "
                + t.get("state").asText() + " " + t.get("loaded").asBoolean()).containsExactly("design PENDING false", "build PENDING false");
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.records()).as("a read-only command loads nothing").isEmpty();
        }
    }

    @Test
    void givenSomeTasksLoadedAndOneAddedToTasksYamlSince_whenTaskList_thenTheLoadedOnesShowTheirStateAndTheNewOneIsMarked() {
        aTeamSeen(1_000);
        write(dir, "tasks.yaml", "tasks:\n  - {id: t4, complexity: low, prompt: Do t4.}\n  - {id: t6, complexity: low, prompt: Six.}\n");

        Cli list = Cli.run("task", "list", "--config", config);

        assertThat(list.out().lines().map(l -> l.replaceAll(" +", " "))).containsExactly(
                "ID STATE COMPLEXITY PRIORITY AGENT ATTEMPTS TITLE",
                "t1 COMPLETED high medium (alpha) 1/3 Title of t1",
                "t2 IN_PROGRESS high medium alpha 1/3 Title of t2",
                "t3 BLOCKED low medium - 0/3 Title of t3",
                "t4 PENDING low medium - 0/3 Title of t4",
                "t5 CANCELLED low medium - 0/3 Title of t5",
                "t6 PENDING* low medium - 0/3 t6",
                "* declared in tasks.yaml, not yet loaded: rulemux run loads it and dispatches it");
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ events

    @Test
    void eventsPrintTheJournalOneLineEach() {
        try (StateStore store = StateStore.open(dir)) {
            for (int i = 1; i <= 5; i++) {
                store.event(Journal.Kind.ACTION, "alpha", "t" + i, "sent t" + i + " to alpha\n(36 chars)");
            }
        }

        Cli all = Cli.run("events", "--config", config);
        Cli newest = Cli.run("events", "--limit", "2", "--config", config);
        Cli after = Cli.run("events", "--since", "3", "--config", config);

        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out().lines().toList()).hasSize(5).first().asString()
                .matches("1  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  ACTION  alpha  t1  sent t1 to alpha \\(36 chars\\)");
        assertThat(newest.out().lines().map(l -> l.split(" ")[0]).toList()).containsExactly("4", "5");
        assertThat(after.out().lines().map(l -> l.split(" ")[0]).toList()).containsExactly("4", "5");
    }

    @Test
    void eventsAsJsonAreOneObjectPerLine() throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            store.event(Journal.Kind.ALERT, "beta", null, "beta asks for approval");
        }

        Cli r = Cli.run("events", "--json", "--config", config);

        assertThat(r.out().lines().toList()).hasSize(1);
        JsonNode e = json.readTree(r.out());
        assertThat(TaskCommandsTest.fieldNames(e)).containsExactly("seq", "at", "kind", "agent", "task", "detail");
        assertThat(e.get("kind").asText()).isEqualTo("ALERT");
        assertThat(e.get("task").isNull()).isTrue();
    }

    @Test
    void eventsFollowKeepsPrintingNewEventsUntilInterrupted() throws Exception {
        try (StateStore store = StateStore.open(dir)) {
            store.event(Journal.Kind.INFO, null, null, "before");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Thread[] runner = new Thread[1];
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        runner[0] = new Thread(() -> exit.complete(Main.run(new App(Clock.systemUTC()),
                new String[] {"events", "--follow", "--config", config}, new PrintWriter(out, true), new PrintWriter(err, true))));
        runner[0].start();

        try (StateStore store = StateStore.open(dir)) {
            waitFor(() -> out.toString().contains("before"));
            store.event(Journal.Kind.INFO, null, null, "after one");
            store.event(Journal.Kind.INFO, null, null, "after two");
            waitFor(() -> out.toString().contains("after two"));
        }
        runner[0].interrupt();

        assertThat(exit.get(dev.rulemux.Eventually.GENEROUS.toSeconds(), TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString().lines().map(l -> l.substring(l.lastIndexOf("  ") + 2)).toList())
                .containsExactly("before", "after one", "after two");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        dev.rulemux.Eventually.until("the output", condition::getAsBoolean);
    }

    @Test
    void eventsRefuseALimitBelowOne() {
        Cli r = Cli.run("events", "--limit", "0", "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: --limit must be at least 1, not 0\n");
    }

    // ------------------------------------------------------------------------------------------ export

    @Test
    void exportWritesTheSeedsTaskQueueJsonInTheConfigDirectory() throws Exception {
        aTeamSeen(1_000);

        Cli r = Cli.run("export", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        Path file = dir.resolve("task_queue.json");
        assertThat(r.out()).isEqualTo("wrote 5 tasks to " + file + "\n");
        JsonNode queue = json.readTree(Files.readString(file, StandardCharsets.UTF_8)).get("task_queue");
        assertThat(TaskCommandsTest.fieldNames(queue)).containsExactly("pending", "in_progress", "completed", "blocked", "cancelled");
        assertThat(ids(queue, "pending")).containsExactly("t4");
        assertThat(ids(queue, "in_progress")).containsExactly("t2");
        assertThat(ids(queue, "completed")).containsExactly("t1");
        assertThat(ids(queue, "blocked")).containsExactly("t3");
        assertThat(ids(queue, "cancelled")).containsExactly("t5");
        JsonNode t1 = queue.get("completed").get(0);
        assertThat(TaskCommandsTest.fieldNames(t1)).containsExactly("id", "title", "state", "complexity", "priority", "agent",
                "attempts", "max_attempts", "depends_on", "note", "created_at", "updated_at", "started_at", "finished_at");
        assertThat(t1.get("agent").asText()).as("who did it").isEqualTo("alpha");
        assertThat(t1.get("note").asText()).isEqualTo("alpha reported it done");
        assertThat(java.time.Instant.parse(t1.get("finished_at").asText())).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(queue.get("blocked").get(0).get("state").asText()).isEqualTo("BLOCKED");
        assertThat(queue.get("pending").get(0).get("started_at").isNull()).isTrue();
        assertThat(queue.get("in_progress").get(0).get("depends_on").toString()).isEqualTo("[\"t1\"]");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void exportToStandardOutputOrAnotherFile() throws Exception {
        aTeamSeen(1_000);
        Path other = dir.resolve("out/queue.json");

        Cli stdout = Cli.run("export", "--out", "-", "--config", config);
        Cli file = Cli.run("export", "--out", other.toString(), "--config", config);

        assertThat(json.readTree(stdout.out()).get("task_queue").get("pending").get(0).get("id").asText()).isEqualTo("t4");
        assertThat(file.exit()).as(file.err()).isZero();
        assertThat(json.readTree(other.toFile())).isEqualTo(json.readTree(stdout.out()));
        assertThat(dir.resolve("task_queue.json")).doesNotExist();
    }

    private static List<String> ids(JsonNode queue, String list) {
        return TaskCommandsTest.elements(queue.get(list)).stream().map(t -> t.get("id").asText()).toList();
    }
}
