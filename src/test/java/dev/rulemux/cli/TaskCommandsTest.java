package dev.rulemux.cli;

import dev.rulemux.config.TaskSpecs;
import static dev.rulemux.ConfigDirs.TWO_SHELLS;
import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rulemux.config.TaskSpec;
import dev.rulemux.domain.IsolationMode;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Report;
import dev.rulemux.domain.ReportOutcome;
import dev.rulemux.domain.TaskState;
import dev.rulemux.domain.Tier;
import dev.rulemux.domain.Verification;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.store.StateStore;
import dev.rulemux.store.StatusDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rulemux report and rulemux task add|list|show|retry|cancel, as an agent or a person runs them. */
class TaskCommandsTest {

    @TempDir
    Path dir;

    String config;

    @BeforeEach
    void aConfigDirectory() {
        write(dir, "agents.yaml", TWO_SHELLS); // alpha (high), beta (low)
        config = dir.toString();
    }

    static TaskSpec task(String id, Tier complexity, String... dependsOn) {
        return TaskSpecs.task(id, complexity, dependsOn);
    }

    /** The tasks t1 (high, pending), t2 (low, in progress on beta) and t3 (high, failed after a failed check). */
    void threeTasks() {
        try (StateStore store = StateStore.open(dir)) {
            store.add(task("t1", Tier.HIGH), "tasks.yaml");
            store.add(task("t2", Tier.LOW), "tasks.yaml");
            store.add(new TaskSpec("t3", "Title of t3", Tier.HIGH, Priority.HIGH, "Do t3.", null, List.of("t1"), "make check",
                    List.of("src/a.c"), 1, 0), "agent:alpha");
            store.delivered("t2", "beta", System.currentTimeMillis(), null);
            store.move("t2", TaskState.IN_PROGRESS, null, "beta is at work on it");
            store.delivered("t3", "alpha", System.currentTimeMillis(), null);
            store.move("t3", TaskState.VERIFYING, null, "reported done");
            store.verified(new Verification("t3", 1, false, 2, "FAIL: test_a\n1 failed"), System.currentTimeMillis());
            store.move("t3", TaskState.FAILED, null, "its check failed and it has no attempt left");
        }
    }

    StateStore store() {
        return StateStore.open(dir);
    }

    String statusDocument() throws Exception {
        return Files.readString(dir.resolve(StatusDocument.FILE), StandardCharsets.UTF_8);
    }

    static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.elements().forEachRemaining(out::add);
        return out;
    }

    static List<String> fieldNames(JsonNode o) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> i = o.fieldNames(); i.hasNext(); ) {
            out.add(i.next());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ report

    @Test
    void anAgentReportsItsTaskDoneWithNoOptionBeyondItsEnvironment() throws Exception {
        threeTasks();
        aLoopRecordedTheTeam(1_000); // a run is going: it acts on the report at its next tick

        Cli r = Cli.runAs("beta", "report", "done", "t2", "--note", "parser rewritten,\nall tests green", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("reported t2 done (it is IN_PROGRESS) as beta; the running loop acts on it at its next tick\n");
        try (StateStore store = store()) {
            assertThat(store.reports()).extracting(Report::task, Report::outcome, Report::note, Report::agent)
                    .containsExactly(tuple("t2", ReportOutcome.DONE, "parser rewritten, all tests green", "beta"));
            assertThat(store.record("t2").orElseThrow().state()).as("the loop decides, not the command").isEqualTo(TaskState.IN_PROGRESS);
            assertThat(store.lastEvents(1, "t2", Set.of()).get(0).detail())
                    .isEqualTo("beta reports t2 done: parser rewritten, all tests green (received; the loop acts on it at its next tick)");
        }
        assertThat(statusDocument()).contains("beta reports t2 done: parser rewritten, all tests green (not yet acted on)");
    }

    /** A rulemux run recorded alpha {@code ageMs} ago (its heartbeat). */
    void aLoopRecordedTheTeam(long ageMs) {
        long now = System.currentTimeMillis();
        try (StateStore store = store()) {
            store.agent(new dev.rulemux.board.Journal.AgentState("alpha", dev.rulemux.domain.Status.IDLE, "its input box is empty",
                    null, null, now - 60_000, now - ageMs, List.of()));
        }
    }

    @Test
    void aPersonReportsATaskBlockedWithoutAnAgent() {
        threeTasks();
        aLoopRecordedTheTeam(1_000);

        Cli r = Cli.run("report", "BLOCKED", "t1", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("reported t1 blocked (it is PENDING); the running loop acts on it at its next tick\n");
        try (StateStore store = store()) {
            assertThat(store.reports()).extracting(Report::task, Report::outcome, Report::note, Report::agent)
                    .containsExactly(tuple("t1", ReportOutcome.BLOCKED, "", null));
        }
    }

    @Test
    void givenNoRunningLoop_whenAnAgentReportsDone_thenTheReportIsRecordedAndTheOutputSaysPlainlyThatNothingActsOnItYet() {
        threeTasks();
        aLoopRecordedTheTeam(125_000); // the last run stopped two minutes ago

        Cli r = Cli.runAs("beta", "report", "done", "t2", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("reported t2 done \\(it is IN_PROGRESS\\) as beta; but no rulemux run is running \\(the last one "
                + "recorded the team 2m \\d+s ago\\): nothing acts on it until one starts \\(rulemux run\\)\n");
        try (StateStore store = store()) {
            assertThat(store.reports()).extracting(Report::task).containsExactly("t2");
        }
    }

    @Test
    void aReportOnAnUnknownTaskNamesTheTasksThereAreAndRecordsNothing() {
        threeTasks();

        Cli r = Cli.runAs("beta", "report", "done", "t9", "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: no task t9 in " + dir.resolve(StateStore.FILE) + " (tasks: t1, t2, t3)\n");
        try (StateStore store = store()) {
            assertThat(store.reports()).isEmpty();
        }
    }

    @Test
    void aReportIsDoneOrBlocked() {
        threeTasks();

        Cli r = Cli.run("report", "finished", "t1", "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: report done or blocked, not \"finished\"\n");
    }

    @Test
    void aFolderWithoutAgentsYamlIsNoConfigDirectoryAndGetsNoStateDatabase() throws Exception {
        Path stray = Files.createDirectory(dir.resolve("stray"));

        Cli r = Cli.run("report", "done", "t1", "--config", stray.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: " + stray + " is not a rulemux config directory (it has no agents.yaml): "
                + "give --config DIR or set RULEMUX_CONFIG\n");
        assertThat(stray.resolve(".rulemux")).doesNotExist();
    }

    // ------------------------------------------------------------------------------------------ task add

    @Test
    void aTaskAddedWithFlagsIsQueuedAndShownInTheStatusDocument() throws Exception {
        write(dir, "prompts/api.md", "Write the API.");
        threeTasks();

        Cli r = Cli.run("task", "add", "--id", "api", "--title", "The API", "--complexity", "high", "--priority", "high",
                "--prompt-file", dir.resolve("prompts/api.md").toString(), "--depends-on", "t1,t2", "--verify", "make test",
                "--files", "src/api.c,src/api.h", "--max-attempts", "2", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("added api (high, priority high, after t1, t2) from cli: The API\n");
        try (StateStore store = store()) {
            TaskRecord api = store.record("api").orElseThrow();
            assertThat(api.spec()).isEqualTo(new TaskSpec("api", "The API", Tier.HIGH, Priority.HIGH, null,
                    dir.resolve("prompts/api.md"), List.of("t1", "t2"), "make test", List.of("src/api.c", "src/api.h"), 2, 0));
            assertThat(api.source()).isEqualTo("cli");
            assertThat(api.state()).isEqualTo(TaskState.PENDING);
            assertThat(api.order()).isEqualTo(3);
        }
        assertThat(statusDocument()).contains("| api | The API | | high | high | PENDING |");
    }

    @Test
    void aTaskAddedByAnAgentSaysWhichAgent() {
        Cli r = Cli.runAs("alpha", "task", "add", "--id", "tests", "--complexity", "low", "--prompt", "Write tests.",
                "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("added tests (low, priority medium) from agent:alpha: tests\n");
        try (StateStore store = store()) {
            assertThat(store.record("tests").orElseThrow().source()).isEqualTo("agent:alpha");
        }
    }

    @Test
    void badFlagsAreNamedAndNothingIsAdded() {
        Cli r = Cli.run("task", "add", "--id", "t1", "--complexity", "x", "--prompt", "p", "--max-attempts", "many",
                "--depends-on", "nope", "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("""
                error: --complexity: must be one of high|medium|low, not "x"
                error: --max-attempts: must be a whole number, not "many"
                error: --depends-on: task t1 depends on "nope", which is no task
                """);
        try (StateStore store = store()) {
            assertThat(store.records()).isEmpty();
        }
    }

    @Test
    void givenAPromptFileThatIsNotUtf8_whenATaskIsAddedWithIt_thenItIsRefusedWithExitCode2AndNothingIsAdded() throws Exception {
        Path latin1 = dir.resolve("latin1.md");
        Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});

        Cli r = Cli.run("task", "add", "--id", "bad", "--prompt-file", latin1.toString(), "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --prompt-file: cannot be read as UTF-8 text: " + latin1);
        try (StateStore store = store()) {
            assertThat(store.record("bad")).isEmpty();
        }
    }

    @Test
    void anIdAlreadyTakenIsRefused() {
        threeTasks();

        Cli r = Cli.run("task", "add", "--id", "t2", "--prompt", "again", "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: task id t2 is already taken (see rulemux task show t2); nothing was added\n");
        try (StateStore store = store()) {
            assertThat(store.record("t2").orElseThrow().spec().prompt()).isEqualTo("Do t2.");
        }
    }

    @Test
    void tasksFromAFileAreAddedAllOrNone() {
        threeTasks();
        Path file = write(dir, "new.yaml", """
                tasks:
                  - {id: n1, prompt: one, depends_on: [t1]}
                  - {id: t3, prompt: taken}
                """);
        Path good = write(dir, "good.yaml", """
                tasks:
                  - {id: n1, prompt: one, depends_on: [t1], complexity: high}
                  - {id: n2, prompt: two, depends_on: [n1], complexity: low}
                """);

        Cli taken = Cli.run("task", "add", "--from", file.toString(), "--config", config);
        Cli added = Cli.run("task", "add", "--from", good.toString(), "--config", config);

        assertThat(taken.exit()).isEqualTo(2);
        assertThat(taken.err()).isEqualTo("error: task id t3 is already taken (see rulemux task show t3); nothing was added\n");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).isEqualTo("""
                added n1 (high, priority medium, after t1) from cli: n1
                added n2 (low, priority medium, after n1) from cli: n2
                """);
        try (StateStore store = store()) {
            assertThat(store.records()).extracting(TaskRecord::id).containsExactly("t1", "t2", "t3", "n1", "n2");
        }
    }

    @Test
    void oneTaskFromAFileWhoseDependenciesFormACycleIsRefusedWithTheCycle() {
        try (StateStore store = store()) {
            store.add(task("a", Tier.HIGH, "b"), "tasks.yaml"); // a dangling dependency: b does not exist yet
        }
        Path file = write(dir, "b.yaml", "id: b\nprompt: x\ndepends_on: [a]\n");

        Cli r = Cli.run("task", "add", "--from", file.toString(), "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: " + file + ":1: depends_on: dependencies form a cycle: b -> a -> b\n");
    }

    @Test
    void aFileAndFlagsTogetherAreRefused() {
        Cli r = Cli.run("task", "add", "--from", "x.yaml", "--id", "t", "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("give the task with flags or with --from FILE, not both\n");
    }

    @Test
    void aTaskNoAgentCanTakeIsAddedWithAWarning() {
        Cli r = Cli.run("task", "add", "--id", "mid", "--prompt", "p", "--config", config);

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEqualTo("warning: no agent has tier medium, so mid waits unless the policy lets another tier take it\n");
    }

    @Test
    void aTaskAddedAskingForAWorktreeKeepsItAndIsWarnedAboutWhenNoAgentWorksInOne() {
        // given alpha and beta in the shared checkout
        // when a high task asking for a worktree is added, then one asking for the shared checkout
        Cli worktree = Cli.run("task", "add", "--id", "iso", "--complexity", "high", "--prompt", "p", "--isolation", "worktree",
                "--config", config);
        Cli shared = Cli.run("task", "add", "--id", "here", "--complexity", "high", "--prompt", "p", "--isolation", "none",
                "--config", config);
        // then both are added with what they ask for; the first with a warning that nobody will take it
        assertThat(worktree.exit()).as(worktree.err()).isZero();
        assertThat(worktree.err()).isEqualTo("warning: no agent works in a worktree, so task iso, which asks for isolation: "
                + "worktree, is never given out: give an agent isolation: worktree in agents.yaml, or drop the task's isolation\n");
        assertThat(shared.exit()).isZero();
        assertThat(shared.err()).isEmpty();
        try (StateStore store = store()) {
            assertThat(store.record("iso").orElseThrow().spec().isolation()).isEqualTo(IsolationMode.WORKTREE);
            assertThat(store.record("here").orElseThrow().spec().isolation()).isEqualTo(IsolationMode.NONE);
        }
        assertThat(Cli.run("task", "show", "iso", "--config", config).out())
                .containsPattern("isolation +worktree \\(only an agent in a worktree takes it\\)");
    }

    @Test
    void aBadIsolationIsNamedByItsFlagAndNothingIsAdded() {
        Cli r = Cli.run("task", "add", "--id", "t", "--prompt", "p", "--isolation", "docker", "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: --isolation: must be one of none|worktree, not \"docker\"\n");
        try (StateStore store = store()) {
            assertThat(store.records()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------ task list and show

    @Test
    void theListIsATableInQueueOrder() {
        threeTasks();

        Cli r = Cli.run("task", "list", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                ID  STATE        COMPLEXITY  PRIORITY  AGENT    ATTEMPTS  TITLE
                t1  PENDING      high        medium    -        0/3       Title of t1
                t2  IN_PROGRESS  low         medium    beta     1/3       Title of t2
                t3  FAILED       high        high      (alpha)  1/1       Title of t3
                """);
    }

    @Test
    void theListFiltersByStateAndRefusesAStateThatIsNone() {
        threeTasks();

        Cli some = Cli.run("task", "list", "--state", "pending,Failed", "--config", config);
        Cli none = Cli.run("task", "list", "--state", "cancelled", "--config", config);
        Cli bad = Cli.run("task", "list", "--state", "done", "--config", config);

        assertThat(some.out()).contains("t1  PENDING", "t3  FAILED").doesNotContain("t2");
        assertThat(none.out()).isEqualTo("no tasks in state cancelled\n");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("error: --state: must be one of pending|assigned|in_progress|verifying|completed|failed|"
                + "blocked|cancelled, not \"done\"\n");
    }

    @Test
    void theListAsJsonIsAnArrayOfTasks() throws Exception {
        threeTasks();

        Cli r = Cli.run("task", "list", "--json", "--state", "failed", "--config", config);

        JsonNode list = new ObjectMapper().readTree(r.out());
        assertThat(list.isArray()).isTrue();
        JsonNode t3 = list.get(0);
        assertThat(list).hasSize(1);
        assertThat(fieldNames(t3)).containsExactly("id", "title", "state", "complexity", "priority", "agent", "last_agent",
                "attempts", "max_attempts", "depends_on", "source", "note", "created_at", "updated_at", "started_at", "finished_at");
        assertThat(t3.get("state").asText()).isEqualTo("FAILED");
        assertThat(t3.get("agent").isNull()).isTrue();
        assertThat(t3.get("last_agent").asText()).isEqualTo("alpha");
        assertThat(t3.get("depends_on").toString()).isEqualTo("[\"t1\"]");
        assertThat(t3.get("source").asText()).isEqualTo("agent:alpha");
        assertThat(t3.get("finished_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(t3.get("started_at").isNull()).isFalse();
    }

    @Test
    void showPrintsEveryFieldThePromptTheLastCheckOutputAndTheEvents() {
        threeTasks();

        Cli r = Cli.run("task", "show", "t3", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("t3: Title of t3\n  state         FAILED (its check failed and it has no attempt left)\n")
                .contains("  last agent    alpha\n", "  complexity    high\n", "  priority      high\n", "  attempts      1 of 1\n",
                        "  depends on    t1\n", "  files         src/a.c\n", "  verify        make check\n",
                        "  source        agent:alpha\n", "  finished      ")
                .contains("prompt:\n  Do t3.\n")
                .contains("last verify output:\n  FAIL: test_a\n  1 failed\n")
                .containsPattern("events:\n  \\d+  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  INFO  -  t3  added t3 \\(agent:alpha\\): Title of t3\n");
    }

    @Test
    void showAsJsonHasEveryFieldOfTheRecord() throws Exception {
        threeTasks();

        Cli r = Cli.run("task", "show", "t2", "--json", "--config", config);

        JsonNode t2 = new ObjectMapper().readTree(r.out());
        assertThat(fieldNames(t2)).contains("id", "title", "state", "complexity", "priority", "agent", "last_agent", "attempts",
                "max_attempts", "depends_on", "source", "note", "created_at", "updated_at", "started_at", "finished_at", "order",
                "prefer_agent", "pending_since", "declared_line", "prompt", "prompt_file", "verify", "files", "last_output",
                "delivery", "events");
        assertThat(t2.get("prompt").asText()).isEqualTo("Do t2.");
        assertThat(t2.get("delivery").get("agent").asText()).isEqualTo("beta");
        assertThat(t2.get("delivery").get("enter_presses").asInt()).isEqualTo(1);
        assertThat(t2.get("delivery").get("seen_working").asBoolean()).isFalse();
        assertThat(elements(t2.get("events"))).extracting(e -> e.get("detail").asText()).containsExactly("added t2 (tasks.yaml): Title of t2");
    }

    @Test
    void showOfAnUnknownTaskNamesTheTasks() {
        threeTasks();

        Cli r = Cli.run("task", "show", "t4", "--config", config);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no task t4", "(tasks: t1, t2, t3)");
    }

    // ------------------------------------------------------------------------------------------ retry and cancel

    @Test
    void aFailedTaskIsRetried() throws Exception {
        threeTasks();

        Cli r = Cli.run("task", "retry", "t3", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("t3: FAILED -> PENDING, attempts reset (0 of 1)\n");
        try (StateStore store = store()) {
            TaskRecord t3 = store.record("t3").orElseThrow();
            assertThat(t3.state()).isEqualTo(TaskState.PENDING);
            assertThat(t3.attempts()).isZero();
            assertThat(t3.note()).isEqualTo("retried from the command line");
            assertThat(store.lastEvents(1, "t3", Set.of(Journal.Kind.TRANSITION)).get(0).detail())
                    .isEqualTo("t3 FAILED -> PENDING: retried from the command line");
        }
        assertThat(statusDocument()).contains("| t3 | Title of t3 | | high | high | PENDING |");
    }

    @Test
    void aTaskThatHasNotFailedIsNotRetried() {
        threeTasks();

        Cli r = Cli.run("task", "retry", "t2", "--config", config);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: t2 is IN_PROGRESS: only a failed, blocked or cancelled task can be retried; nothing changed\n");
        try (StateStore store = store()) {
            assertThat(store.record("t2").orElseThrow().state()).isEqualTo(TaskState.IN_PROGRESS);
        }
    }

    @Test
    void aTaskInFlightIsCancelledWithItsReason() {
        threeTasks();

        Cli r = Cli.runAs("alpha", "task", "cancel", "t2", "--reason", "not needed after all", "--config", config);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("t2: IN_PROGRESS -> CANCELLED (it was on beta)\n");
        try (StateStore store = store()) {
            TaskRecord t2 = store.record("t2").orElseThrow();
            assertThat(t2.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(t2.note()).isEqualTo("cancelled by alpha: not needed after all");
            assertThat(t2.lastAgent()).isEqualTo("beta");
        }
    }

    @Test
    void aFinishedTaskIsNotCancelled() {
        threeTasks();

        Cli failed = Cli.run("task", "cancel", "t3", "--config", config);
        Cli unknown = Cli.run("task", "cancel", "t7", "--config", config);

        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).isEqualTo("error: t3 is FAILED: a finished task cannot be cancelled; nothing changed\n");
        assertThat(unknown.exit()).isEqualTo(2);
    }

    @Test
    void aCancelledTaskIsRetried() {
        threeTasks();
        Cli.run("task", "cancel", "t1", "--config", config);

        Cli again = Cli.run("task", "cancel", "t1", "--config", config);
        Cli retried = Cli.run("task", "retry", "t1", "--config", config);

        assertThat(again.exit()).isEqualTo(1);
        assertThat(retried.exit()).isZero();
        assertThat(retried.out()).isEqualTo("t1: CANCELLED -> PENDING, attempts reset (0 of 3)\n");
    }
}
