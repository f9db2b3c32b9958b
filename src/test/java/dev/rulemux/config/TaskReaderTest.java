package dev.rulemux.config;

import static dev.rulemux.ConfigDirs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rulemux.domain.IsolationMode;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Tier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task declaration read from a file given to task add --from, or from flags, as tasks.yaml is read. */
class TaskReaderTest {

    @TempDir
    Path dir;

    private static final Map<String, TaskSpec> NONE = Map.of();

    private static TaskReader.Flags flags(String id, String complexity, String prompt) {
        return new TaskReader.Flags(id, null, complexity, null, prompt, null, null, null, null, null);
    }

    private static List<String> problems(Runnable read) {
        ConfigException e = catchThrowableOfType(ConfigException.class, read::run);
        assertThat(e).as("expected the tasks to be refused").isNotNull();
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aFileWithATasksListReadsLikeTasksYamlWithPromptFilesBesideIt() {
        write(dir, "more/api.md", "Write the API.");
        Path file = write(dir, "more/tasks.yaml", """
                tasks:
                  - id: api
                    title: The API
                    complexity: high
                    priority: low
                    prompt_file: api.md
                    files: [src/api]
                    verify: make test
                    max_attempts: 5
                  - id: docs
                    prompt: Document it.
                    depends_on: [api, design]
                """);

        List<TaskSpec> tasks = TaskReader.readFile(file, Map.of("design", StateSpecs.task("design")));

        assertThat(tasks).hasSize(2);
        assertThat(tasks.get(0)).isEqualTo(new TaskSpec("api", "The API", Tier.HIGH, Priority.LOW, null,
                dir.resolve("more/api.md").toAbsolutePath().normalize(), List.of(), "make test", List.of("src/api"), 5, 2));
        assertThat(tasks.get(1)).isEqualTo(new TaskSpec("docs", "docs", Tier.MEDIUM, Priority.MEDIUM, "Document it.", null,
                List.of("api", "design"), null, List.of(), 3, 10));
    }

    @Test
    void aFileWithOneTaskIsOneTask() {
        Path file = write(dir, "one.yaml", "id: fix-login\ncomplexity: low\nprompt: Fix the login form.\n");

        assertThat(TaskReader.readFile(file, NONE)).singleElement()
                .satisfies(t -> assertThat(t.id()).isEqualTo("fix-login"))
                .satisfies(t -> assertThat(t.complexity()).isEqualTo(Tier.LOW));
    }

    @Test
    void problemsInAFileNameItsFileLineAndField() {
        Path list = write(dir, "list.yaml", """
                tasks:
                  - id: a
                    prompt: x
                    priorty: high
                  - id: a
                    complexity: huge
                    prompt: y
                    max_attempts: two
                """);
        Path one = write(dir, "one.yaml", "id: b\ncomplexity: huge\n");

        assertThat(problems(() -> TaskReader.readFile(list, NONE))).containsExactly(
                list + ":4: tasks[0].priorty: is not a known field (did you mean \"priority\"?) (known: complexity, depends_on, "
                        + "files, id, isolation, max_attempts, priority, prompt, prompt_file, title, verify)",
                list + ":6: tasks[1].complexity: must be one of high|medium|low, not \"huge\"",
                list + ":8: tasks[1].max_attempts: must be a whole number, not \"two\"",
                list + ":5: tasks[1].id: \"a\" is used twice (first on line 2)");
        assertThat(problems(() -> TaskReader.readFile(one, NONE))).containsExactly(
                one + ":2: complexity: must be one of high|medium|low, not \"huge\"",
                one + ":1: prompt: is missing: give prompt or prompt_file");
    }

    @Test
    void aFileMayOnlyDependOnTasksThereAreAndFormNoCycle() {
        Path file = write(dir, "tasks.yaml", """
                tasks:
                  - {id: a, prompt: x, depends_on: [c, old]}
                  - {id: b, prompt: x, depends_on: [a, gone]}
                  - {id: c, prompt: x, depends_on: [b]}
                """);

        assertThat(problems(() -> TaskReader.readFile(file, Map.of("old", StateSpecs.task("old"))))).containsExactly(
                file + ":3: tasks[1].depends_on: task b depends on \"gone\", which is no task",
                file + ":2: depends_on: dependencies form a cycle: a -> c -> b -> a");
    }

    @Test
    void aTaskMayAskForAWorktreeOrTheSharedCheckoutAndNothingElse() {
        // given tasks.yaml with a task asking for a worktree, one for none, one for nothing, one for something else
        Path file = write(dir, "tasks.yaml", """
                tasks:
                  - {id: refactor, prompt: x, isolation: worktree}
                  - {id: look, prompt: x, isolation: None}
                  - {id: any, prompt: x}
                """);
        Path bad = write(dir, "bad.yaml", """
                tasks:
                  - id: a
                    prompt: x
                    isolation: container
                """);
        // then each asks for what it says, absent being no requirement, and a wrong one names file, line and field
        assertThat(TaskReader.readFile(file, NONE)).extracting(TaskSpec::isolation)
                .containsExactly(IsolationMode.WORKTREE, IsolationMode.NONE, null);
        assertThat(problems(() -> TaskReader.readFile(bad, NONE))).containsExactly(
                bad + ":4: tasks[0].isolation: must be one of none|worktree, not \"container\"");
    }

    @Test
    void theIsolationFlagIsReadAndABadOneNamesTheFlag() {
        TaskReader.Flags worktree = new TaskReader.Flags("t", null, null, null, "p", null, null, null, null, null, "worktree");
        TaskReader.Flags bad = new TaskReader.Flags("t", null, null, null, "p", null, null, null, null, null, "shared");

        assertThat(TaskReader.fromFlags(worktree, dir, NONE).isolation()).isEqualTo(IsolationMode.WORKTREE);
        assertThat(problems(() -> TaskReader.fromFlags(bad, dir, NONE)))
                .containsExactly("--isolation: must be one of none|worktree, not \"shared\"");
    }

    @Test
    void anEmptyOrMissingFileIsNoTask() {
        Path empty = write(dir, "empty.yaml", "");
        Path none = write(dir, "none.yaml", "tasks: []\n");

        assertThat(problems(() -> TaskReader.readFile(empty, NONE))).containsExactly(empty + ": is empty: give a tasks: list or one task");
        assertThat(problems(() -> TaskReader.readFile(none, NONE))).containsExactly(none + ":1: tasks: declares no task");
        assertThat(problems(() -> TaskReader.readFile(dir.resolve("nope.yaml"), NONE)))
                .containsExactly(dir.resolve("nope.yaml") + ": is not a file");
    }

    @Test
    void flagsGiveATaskWithTheDefaultsOfTasksYaml() {
        TaskSpec t = TaskReader.fromFlags(flags("t1", null, "Do it."), dir, NONE);

        assertThat(t).isEqualTo(new TaskSpec("t1", "t1", Tier.MEDIUM, Priority.MEDIUM, "Do it.", null, List.of(), null, List.of(),
                3, 0));
    }

    @Test
    void everyFlagIsRead() {
        write(dir, "prompts/p.md", "the prompt");

        TaskSpec t = TaskReader.fromFlags(new TaskReader.Flags("t2", "Title", "HIGH", "low", null, "prompts/p.md",
                List.of("t1"), "npm test", List.of("a.js", "b.js"), "7"), dir, Map.of("t1", StateSpecs.task("t1")));

        assertThat(t).isEqualTo(new TaskSpec("t2", "Title", Tier.HIGH, Priority.LOW, null, dir.resolve("prompts/p.md"),
                List.of("t1"), "npm test", List.of("a.js", "b.js"), 7, 0));
    }

    @Test
    void problemsInFlagsNameTheFlag() {
        assertThat(problems(() -> TaskReader.fromFlags(new TaskReader.Flags("bad id", null, "x", "urgent", "p", "p.md",
                List.of("zz"), null, null, "0"), dir, NONE))).containsExactly(
                "--id: must be letters, digits, '-' or '_', not \"bad id\"",
                "--complexity: must be one of high|medium|low, not \"x\"",
                "--priority: must be one of high|medium|low, not \"urgent\"",
                "--prompt-file: cannot be given with --prompt: give one of them",
                "--max-attempts: must be between 1 and 100, not 0",
                "--depends-on: task bad id depends on \"zz\", which is no task");
        assertThat(problems(() -> TaskReader.fromFlags(flags(null, null, null), dir, NONE)))
                .containsExactly("--id: is missing", "--prompt: is missing: give --prompt or --prompt-file");
        assertThat(problems(() -> TaskReader.fromFlags(new TaskReader.Flags("t", null, null, null, "p", null, List.of("t"),
                null, null, "two"), dir, NONE))).containsExactly(
                "--max-attempts: must be a whole number, not \"two\"", "--depends-on: task t cannot depend on itself");
        assertThat(problems(() -> TaskReader.fromFlags(new TaskReader.Flags("t", null, null, null, null, "nope.md", null,
                null, null, null), dir, NONE))).containsExactly("--prompt-file: is not a file: " + dir.resolve("nope.md"));
        assertThat(problems(() -> TaskReader.fromFlags(flags("t", null, "  "), dir, NONE))).containsExactly("--prompt: must not be empty");
    }

    @Test
    void givenAPromptFileThatIsNotUtf8OrIsEmpty_whenATaskIsAddedWithIt_thenItIsRefusedAtOnce() throws Exception {
        java.nio.file.Files.write(dir.resolve("latin1.md"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        write(dir, "blank.md", "  \n\n");
        TaskReader.Flags latin1 = new TaskReader.Flags("t", null, null, null, null, "latin1.md", null, null, null, null);
        TaskReader.Flags blank = new TaskReader.Flags("t", null, null, null, null, "blank.md", null, null, null, null);

        assertThat(problems(() -> TaskReader.fromFlags(latin1, dir, NONE))).singleElement().asString()
                .startsWith("--prompt-file: cannot be read as UTF-8 text: " + dir.resolve("latin1.md"));
        assertThat(problems(() -> TaskReader.fromFlags(blank, dir, NONE)))
                .containsExactly("--prompt-file: is empty: " + dir.resolve("blank.md"));
    }

    @Test
    void givenTasksYamlWithAPromptFileThatIsNotUtf8_whenValidated_thenItIsRefusedNamingFileLineAndField() throws Exception {
        java.nio.file.Files.write(dir.resolve("latin1.md"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        write(dir, "agents.yaml", dev.rulemux.ConfigDirs.TWO_SHELLS);
        write(dir, "tasks.yaml", "tasks:\n  - id: good\n    prompt: fine\n  - id: bad\n    prompt_file: latin1.md\n");

        assertThat(problems(() -> ConfigLoader.load(dev.rulemux.ConfigDirs.sources(dir)))).singleElement().asString()
                .startsWith(dir.resolve("tasks.yaml") + ":5: tasks[1].prompt_file: cannot be read as UTF-8 text: " + dir.resolve("latin1.md"));
    }

    @Test
    void aCycleThroughKnownTasksIsFound() {
        Map<String, TaskSpec> known = Map.of("x", StateSpecs.task("x", "new"));

        assertThat(problems(() -> TaskReader.fromFlags(new TaskReader.Flags("new", null, null, null, "p", null, List.of("x"),
                null, null, null), dir, known))).containsExactly("--depends-on: dependencies form a cycle: new -> x -> new");
    }

    /** Task specs for the known tasks. */
    static final class StateSpecs {
        static TaskSpec task(String id, String... dependsOn) {
            return new TaskSpec(id, id, Tier.MEDIUM, Priority.MEDIUM, "p", null, List.of(dependsOn), null, List.of(), 3, 0);
        }
    }
}
