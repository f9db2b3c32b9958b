package dev.rulemux.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rulemux.App;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.store.StateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rulemux export [--out FILE]}: the queue in the shape of the seeds' task_queue.json. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the task queue as the seeds' task_queue.json: {\"task_queue\": {\"pending\": [...], "
                + "\"in_progress\": [...], \"completed\": [...], \"blocked\": [...], \"cancelled\": [...]}}.",
                "in_progress holds the assigned, in-progress and verifying tasks; blocked the blocked and the failed ones "
                        + "(each entry's state says which). Each entry: id, title, state, complexity, priority, agent, "
                        + "attempts, max_attempts, depends_on, note, created_at, updated_at, started_at, finished_at "
                        + "(ISO-8601, null when not yet)."})
public final class ExportCommand implements Callable<Integer> {

    static final String DEFAULT_FILE = "task_queue.json";

    @Mixin
    ConfigOption config;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Where to write it (default: task_queue.json in the config directory; - for standard output).")
    String outFile;

    @Spec
    CommandSpec spec;

    private final App app;

    public ExportCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        StateAccess state = StateAccess.of(app, spec, config);
        List<TaskRecord> records;
        try (StateStore store = state.open()) {
            records = store.records();
        }
        ObjectNode doc = document(records);
        PrintWriter out = spec.commandLine().getOut();
        if ("-".equals(outFile)) {
            Views.print(out, doc);
            return ExitCodes.OK;
        }
        Path file = outFile == null ? state.dir().resolve(DEFAULT_FILE) : Path.of(outFile);
        write(file, Views.text(doc) + "\n");
        out.printf("wrote %d tasks to %s%n", records.size(), file);
        return ExitCodes.OK;
    }

    static ObjectNode document(List<TaskRecord> records) {
        ObjectNode doc = Views.JSON.createObjectNode();
        ObjectNode queue = doc.putObject("task_queue");
        ArrayNode pending = queue.putArray("pending");
        ArrayNode inProgress = queue.putArray("in_progress");
        ArrayNode completed = queue.putArray("completed");
        ArrayNode blocked = queue.putArray("blocked");
        ArrayNode cancelled = queue.putArray("cancelled");
        for (TaskRecord r : records) {
            ArrayNode list = switch (r.state()) {
                case PENDING -> pending;
                case ASSIGNED, IN_PROGRESS, VERIFYING -> inProgress;
                case COMPLETED -> completed;
                case BLOCKED, FAILED -> blocked;
                case CANCELLED -> cancelled;
            };
            list.add(entry(r));
        }
        return doc;
    }

    private static ObjectNode entry(TaskRecord r) {
        ObjectNode o = Views.JSON.createObjectNode();
        o.put("id", r.id());
        o.put("title", r.spec().title());
        o.put("state", r.state().name());
        o.put("complexity", r.spec().complexity().label());
        o.put("priority", r.spec().priority().label());
        o.put("agent", r.agent() != null ? r.agent() : r.lastAgent());
        o.put("attempts", r.attempts());
        o.put("max_attempts", r.spec().maxAttempts());
        Views.strings(o.putArray("depends_on"), r.spec().dependsOn());
        o.put("note", r.note());
        o.put("created_at", Views.iso(r.createdAt()));
        o.put("updated_at", Views.iso(r.updatedAt()));
        o.put("started_at", Views.iso(r.startedAt()));
        o.put("finished_at", Views.iso(r.finishedAt()));
        return o;
    }

    /** Replaces {@code file} whole: a reader never sees half of it. */
    private static void write(Path file, String text) {
        try {
            dev.rulemux.store.AtomicFile.write(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
