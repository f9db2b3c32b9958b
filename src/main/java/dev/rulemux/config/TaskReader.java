package dev.rulemux.config;

import dev.rulemux.domain.IsolationMode;
import dev.rulemux.domain.Priority;
import dev.rulemux.domain.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads task declarations, with the same checks and the same errors, from the three places a task comes from:
 * {@code tasks.yaml} ({@link #readTasksFile}), a file given to {@code rulemux task add --from} ({@link #readFile}:
 * a {@code tasks:} list or one task), and the flags of {@code rulemux task add} ({@link #fromFlags}). Errors in a
 * file name its file, line and field; errors in flags name the flag ({@code --complexity: must be one of …}).
 * {@link #checkDependencies} checks what the tasks depend on against the tasks known besides them.
 */
public final class TaskReader {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    /** How a field is named to the user: its YAML key in a file, its flag on the command line. */
    private static final UnaryOperator<String> YAML = UnaryOperator.identity();
    private static final UnaryOperator<String> FLAG = key -> "--" + key.replace('_', '-');

    /**
     * A task as given with flags; null (or an empty list) for each one not given. Numbers stay text here so that
     * a bad one is reported like a bad YAML value.
     */
    public record Flags(String id, String title, String complexity, String priority, String prompt, String promptFile,
                        List<String> dependsOn, String verify, List<String> files, String maxAttempts,
                        String isolation) {

        /** Flags without {@code --isolation}. */
        public Flags(String id, String title, String complexity, String priority, String prompt, String promptFile,
                     List<String> dependsOn, String verify, List<String> files, String maxAttempts) {
            this(id, title, complexity, priority, prompt, promptFile, dependsOn, verify, files, maxAttempts, null);
        }

        public Flags {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    private final Problems problems;
    private final Path baseDir;
    private final UnaryOperator<String> name;

    private TaskReader(Problems problems, Path baseDir, UnaryOperator<String> name) {
        this.problems = problems;
        this.baseDir = baseDir;
        this.name = name;
    }

    /**
     * Reads {@code tasks.yaml}: a mapping with a {@code tasks:} list. Problems go to {@code problems}; a
     * {@code prompt_file} is relative to {@code baseDir} (the config directory). A missing file declares no task.
     */
    public static List<TaskSpec> readTasksFile(Path file, Path baseDir, Problems problems) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        YamlNode root = YamlReader.read(file, problems);
        if (root == null) {
            return List.of();
        }
        return Fields.of(root, "", problems).map(f -> new TaskReader(problems, baseDir, YAML).readList(f)).orElse(List.of());
    }

    /**
     * Reads a file of tasks to add: a {@code tasks:} list as in {@code tasks.yaml}, or one task mapping. A
     * {@code prompt_file} is relative to the file's folder. Their dependencies are checked against each other and
     * {@code known} (the tasks there are already, by id).
     *
     * @throws ConfigException naming file, line and field of every problem
     */
    public static List<TaskSpec> readFile(Path file, Map<String, TaskSpec> known) {
        Problems problems = new Problems();
        List<TaskSpec> tasks = List.of();
        if (!Files.isRegularFile(file)) {
            problems.add(file, 0, null, "is not a file");
            problems.throwIfAny();
        }
        YamlNode root = YamlReader.read(file, problems);
        if (root instanceof YamlNode.Scalar s && s.text() == null) {
            problems.add(file, 0, null, "is empty: give a tasks: list or one task");
        } else if (root != null) {
            TaskReader reader = new TaskReader(problems, file.toAbsolutePath().getParent(), YAML);
            Optional<Fields> f = Fields.of(root, "", problems);
            if (f.isPresent() && f.get().node().entries().containsKey("tasks")) {
                tasks = reader.readList(f.get());
                if (tasks.isEmpty() && problems.isEmpty()) {
                    f.get().problem("tasks", "declares no task");
                }
                checkDependencies(tasks, known, file, i -> "tasks[" + i + "].depends_on", "depends_on", problems);
            } else if (f.isPresent()) {
                TaskSpec one = reader.read(f.get());
                f.get().done();
                tasks = one == null ? List.of() : List.of(one);
                checkDependencies(tasks, known, file, i -> "depends_on", "depends_on", problems);
            }
        }
        problems.throwIfAny();
        return tasks;
    }

    /**
     * Reads a task given with flags; {@code prompt_file} is relative to {@code baseDir} (the current directory). Its
     * dependencies are checked against {@code known} (the tasks there are already, by id).
     *
     * @throws ConfigException whose problems name the flags ({@code --max-attempts: must be a whole number, …})
     */
    public static TaskSpec fromFlags(Flags flags, Path baseDir, Map<String, TaskSpec> known) {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        scalar(entries, "id", flags.id());
        scalar(entries, "title", flags.title());
        scalar(entries, "complexity", flags.complexity());
        scalar(entries, "priority", flags.priority());
        scalar(entries, "prompt", flags.prompt());
        scalar(entries, "prompt_file", flags.promptFile());
        list(entries, "depends_on", flags.dependsOn());
        scalar(entries, "verify", flags.verify());
        list(entries, "files", flags.files());
        scalar(entries, "max_attempts", flags.maxAttempts());
        scalar(entries, "isolation", flags.isolation());
        Map<String, Integer> lines = new LinkedHashMap<>();
        entries.keySet().forEach(k -> lines.put(k, 0));
        YamlNode.Mapping map = new YamlNode.Mapping(null, 0, entries, lines);
        Problems found = new Problems();
        Fields f = Fields.of(map, "", found).orElseThrow();
        TaskSpec spec = new TaskReader(found, baseDir, FLAG).read(f);
        f.done();
        if (spec != null) {
            checkDependencies(List.of(spec), known, null, i -> "depends_on", "depends_on", found);
        }
        asFlags(found).throwIfAny();
        return spec;
    }

    /** The same problems, each naming the flag of its field instead of the field. */
    public static Problems asFlags(Problems problems) {
        Problems out = new Problems();
        for (Problem p : problems.list()) {
            out.add(null, 0, p.field() == null ? null : FLAG.apply(p.field()), p.message());
        }
        return out;
    }

    private static void scalar(Map<String, YamlNode> entries, String key, String value) {
        if (value != null) {
            entries.put(key, new YamlNode.Scalar(null, 0, value));
        }
    }

    private static void list(Map<String, YamlNode> entries, String key, List<String> values) {
        if (!values.isEmpty()) {
            entries.put(key, new YamlNode.Seq(null, 0, values.stream().<YamlNode>map(v -> new YamlNode.Scalar(null, 0, v)).toList()));
        }
    }

    private List<TaskSpec> readList(Fields f) {
        List<TaskSpec> tasks = f.list("tasks", this::read);
        checkUniqueIds(f);
        f.done();
        return tasks;
    }

    /** One task mapping; null when it has no usable id (the problems say why). */
    private TaskSpec read(Fields t) {
        String id = t.requiredText("id");
        if (id != null && !ID.matcher(id).matches()) {
            t.problem("id", "must be letters, digits, '-' or '_', not \"" + id + "\"");
        }
        String title = t.text("title", id);
        Tier complexity = t.choice("complexity", Tier.class, Tier.MEDIUM);
        Priority priority = t.choice("priority", Priority.class, Priority.MEDIUM);
        String prompt = t.text("prompt").orElse(null);
        Path promptFile = t.text("prompt_file").map(this::resolve).orElse(null);
        if (prompt == null && promptFile == null) {
            problems.add(t.node().file(), t.line(), t.field("prompt"),
                    "is missing: give " + name.apply("prompt") + " or " + name.apply("prompt_file"));
        } else if (prompt != null && promptFile != null) {
            t.problem("prompt_file", "cannot be given with " + name.apply("prompt") + ": give one of them");
        } else if (promptFile != null && unreadable(promptFile) != null) {
            t.problem("prompt_file", unreadable(promptFile));
        } else if (prompt != null && prompt.isBlank()) {
            t.problem("prompt", "must not be empty");
        }
        List<String> dependsOn = t.texts("depends_on");
        String verify = t.text("verify").orElse(null);
        List<String> files = t.texts("files");
        int maxAttempts = t.integer("max_attempts", 3, 1, 100);
        // absent: any agent may take it; worktree or none: only an agent working so (rules/isolation.drl)
        IsolationMode isolation = t.choice("isolation", IsolationMode.class, null);
        if (id == null) {
            return null;
        }
        return new TaskSpec(id, title, complexity, priority, prompt, promptFile, dependsOn, verify, files,
                maxAttempts, t.line(), isolation);
    }

    /** Why the prompt file cannot be used, or null when it can: it is read now, as it will be when its task is sent. */
    private static String unreadable(Path file) {
        try {
            PromptFile.read(file);
            return null;
        } catch (PromptFile.Unreadable e) {
            return e.getMessage();
        }
    }

    private Path resolve(String path) {
        String p = path.trim();
        if (p.equals("~") || p.startsWith("~/")) {
            p = System.getProperty("user.home") + p.substring(1);
        }
        return baseDir.toAbsolutePath().resolve(p).normalize();
    }

    /** Reports every id that two tasks of the list share, at the second one's line. */
    private void checkUniqueIds(Fields f) {
        if (!(f.node().entries().get("tasks") instanceof YamlNode.Seq seq)) {
            return;
        }
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < seq.items().size(); i++) {
            if (seq.items().get(i) instanceof YamlNode.Mapping m && m.entries().get("id") instanceof YamlNode.Scalar s
                    && s.text() != null) {
                Integer first = firstLine.putIfAbsent(s.text(), m.lineOf("id"));
                if (first != null) {
                    problems.add(m.file(), m.lineOf("id"), "tasks[" + i + "].id",
                            "\"" + s.text() + "\" is used twice (first on line " + first + ")");
                }
            }
        }
    }

    /**
     * Checks what {@code tasks} depend on: each dependency must be one of them or one of {@code known} (the tasks
     * already declared elsewhere, by id), no task may depend on itself, and no cycle may form.
     *
     * @param file       where the tasks were read (null for flags)
     * @param fieldOf    the name of the i-th task's {@code depends_on} field, for the problem
     * @param cycleField the field named by a cycle
     */
    public static void checkDependencies(List<TaskSpec> tasks, Map<String, TaskSpec> known, Path file,
                                         IntFunction<String> fieldOf, String cycleField, Problems problems) {
        Map<String, TaskSpec> byId = new LinkedHashMap<>();
        tasks.forEach(t -> byId.putIfAbsent(t.id(), t));
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec t = tasks.get(i);
            for (String dep : t.dependsOn()) {
                if (dep.equals(t.id())) {
                    problems.add(file, t.line(), fieldOf.apply(i), "task " + t.id() + " cannot depend on itself");
                } else if (!byId.containsKey(dep) && !known.containsKey(dep)) {
                    problems.add(file, t.line(), fieldOf.apply(i), "task " + t.id() + " depends on \"" + dep + "\", which is no task");
                }
            }
        }
        Map<String, TaskSpec> all = new LinkedHashMap<>(byId);
        known.forEach(all::putIfAbsent);
        findCycle(all).ifPresent(cycle -> {
            TaskSpec at = byId.containsKey(cycle.get(0)) ? byId.get(cycle.get(0))
                    : cycle.stream().filter(byId::containsKey).map(byId::get).findFirst().orElse(all.get(cycle.get(0)));
            problems.add(file, at.line(), cycleField, "dependencies form a cycle: " + String.join(" -> ", cycle));
        });
    }

    /** A dependency cycle, as the ids along it ending with the first again, if there is one. */
    public static Optional<List<String>> findCycle(Map<String, TaskSpec> byId) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
        for (String start : byId.keySet()) {
            Optional<List<String>> cycle = visit(start, byId, state, new ArrayList<>());
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> visit(String id, Map<String, TaskSpec> byId, Map<String, Integer> state,
                                                List<String> path) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return Optional.empty();
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            return Optional.of(cycle);
        }
        TaskSpec task = byId.get(id);
        if (task == null) {
            return Optional.empty();
        }
        state.put(id, 1);
        path.add(id);
        for (String dep : task.dependsOn()) {
            if (dep.equals(id)) {
                continue;
            }
            Optional<List<String>> cycle = visit(dep, byId, state, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
        return Optional.empty();
    }
}
