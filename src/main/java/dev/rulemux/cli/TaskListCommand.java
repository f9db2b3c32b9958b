package dev.rulemux.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rulemux.App;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.TaskState;
import dev.rulemux.store.StateStore;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux task list [--state S…] [--json]}: the queue, as a table or JSON. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the tasks in queue order: id, state, complexity, priority, agent (in parentheses the agent it "
                + "was last on), attempts/max, title. Tasks declared in tasks.yaml that no rulemux run has loaded yet are "
                + "listed after them, marked PENDING* (in JSON: \"loaded\": false); nothing is written.")
public final class TaskListCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--state", paramLabel = "STATE", split = ",",
            description = "Only tasks in these states (pending, assigned, in_progress, verifying, completed, failed, blocked, cancelled).")
    List<String> states;

    @Option(names = "--json", description = "A JSON array, one object per task.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final App app;

    public TaskListCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        Set<TaskState> wanted = states(states);
        StateAccess state = StateAccess.of(app, spec, config);
        PrintWriter out = spec.commandLine().getOut();
        List<TaskRecord> stored;
        try (StateStore store = state.open()) {
            stored = store.records();
        }
        // Tasks of tasks.yaml that no run has loaded yet are shown too (a run loads them as pending), marked.
        List<TaskRecord> notLoaded = state.declaredNotLoaded(stored).stream().filter(r -> wanted.contains(r.state())).toList();
        List<TaskRecord> records = stored.stream().filter(r -> wanted.contains(r.state())).toList();
        if (json) {
            ArrayNode array = Views.JSON.createArrayNode();
            records.forEach(r -> array.add(Views.task(r)));
            notLoaded.forEach(r -> array.add(Views.task(r).put("loaded", false)));
            Views.print(out, array);
            return ExitCodes.OK;
        }
        if (records.isEmpty() && notLoaded.isEmpty()) {
            out.println(states == null ? "no tasks" : "no tasks in state " + String.join(", ", states));
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("ID", "STATE", "COMPLEXITY", "PRIORITY", "AGENT", "ATTEMPTS", "TITLE");
        records.forEach(r -> row(table, r, ""));
        notLoaded.forEach(r -> row(table, r, StateAccess.NOT_LOADED_MARK));
        table.print(out);
        if (!notLoaded.isEmpty()) {
            out.println(StateAccess.NOT_LOADED_NOTE);
        }
        return ExitCodes.OK;
    }

    private static void row(TextTable table, TaskRecord r, String mark) {
        table.row(r.id(), r.state().name() + mark, r.spec().complexity().label(), r.spec().priority().label(),
                Views.agentOf(r), r.attempts() + "/" + r.spec().maxAttempts(), r.spec().title());
    }

    /** The states named (any case); all of them when none is. */
    static Set<TaskState> states(List<String> names) {
        if (names == null || names.isEmpty()) {
            return EnumSet.allOf(TaskState.class);
        }
        Set<TaskState> out = EnumSet.noneOf(TaskState.class);
        for (String n : names) {
            String key = n.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            TaskState s = Arrays.stream(TaskState.values()).filter(v -> v.name().equals(key)).findFirst()
                    .orElseThrow(() -> new CommandRefused(ExitCodes.BAD_INPUT, "--state: must be one of "
                            + Arrays.stream(TaskState.values()).map(Views::lower).collect(Collectors.joining("|"))
                            + ", not \"" + n + "\""));
            out.add(s);
        }
        return out;
    }
}
