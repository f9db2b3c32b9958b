package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.store.StateStore;
import dev.rulemux.text.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rulemux task show ID [--json]}: everything known of one task. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show everything known of a task: its declaration and state, its delivery, its prompt, the output of "
                + "its last failed verification, and its events from the journal.")
public final class TaskShowCommand implements Callable<Integer> {

    /** How many of the task's newest events are shown. */
    static final int EVENTS = 200;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final App app;

    public TaskShowCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        StateAccess state = StateAccess.of(app, spec, config);
        PrintWriter out = spec.commandLine().getOut();
        TaskRecord r;
        List<Journal.Event> events;
        dev.rulemux.domain.TaskBranch branch;
        try (StateStore store = state.open()) {
            r = state.task(store, id);
            events = store.lastEvents(EVENTS, id, Set.of());
            branch = store.branches().branch(id).orElse(null);
        }
        String prompt = promptText(r);
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode doc = Views.taskInFull(r, prompt, events);
            Views.branch(doc, branch);
            Views.print(out, doc);
            return ExitCodes.OK;
        }
        long now = app.clock().millis();
        out.printf("%s: %s%n", r.id(), TerminalText.line(r.spec().title()));
        field(out, "state", r.state().name() + (r.note().isEmpty() ? "" : " (" + r.note().replaceAll("\\s*\\R\\s*", " ") + ")"));
        field(out, "agent", r.agent());
        field(out, "last agent", r.lastAgent());
        field(out, "handed to", r.preferAgent());
        field(out, "complexity", r.spec().complexity().label());
        field(out, "priority", r.spec().priority().label());
        field(out, "attempts", r.attempts() + " of " + r.spec().maxAttempts());
        field(out, "depends on", String.join(", ", r.spec().dependsOn()));
        field(out, "files", String.join(", ", r.spec().files()));
        field(out, "verify", r.spec().verify());
        field(out, "branch", branch == null ? null : Views.branchLine(branch));
        field(out, "source", r.source() + (r.spec().line() > 0 && r.source().equals("tasks.yaml") ? " line " + r.spec().line() : ""));
        field(out, "queue order", String.valueOf(r.order()));
        field(out, "created", Views.clock(r.createdAt(), now));
        field(out, "updated", Views.clock(r.updatedAt(), now));
        field(out, "pending since", Views.clock(r.pendingSince(), now));
        field(out, "started", Views.clock(r.startedAt(), now));
        field(out, "finished", Views.clock(r.finishedAt(), now));
        TaskRecord.DeliveryRecord d = r.delivery();
        if (d != null) {
            field(out, "delivery", "to " + d.agent() + " at " + Views.clock(d.deliveredAt(), now) + ", Enter pressed "
                    + d.enterPresses() + "x (last at " + Views.clock(d.lastKeysAt(), now) + "), "
                    + (d.seenWorking() ? "seen working" : "not yet seen working"));
        }
        out.println();
        out.println(r.spec().promptFile() == null ? "prompt:" : "prompt (" + TerminalText.line(r.spec().promptFile().toString()) + "):");
        indent(out, prompt == null ? "(the file cannot be read)" : prompt);
        if (!r.lastOutput().isEmpty()) {
            out.println();
            out.println("last verify output:");
            indent(out, r.lastOutput());
        }
        out.println();
        out.println(events.isEmpty() ? "events: none" : "events:");
        events.forEach(e -> out.println("  " + Views.eventLine(e)));
        out.flush();
        return ExitCodes.OK;
    }

    /** The prompt as declared, or the content of its prompt file (null when it cannot be read). */
    static String promptText(TaskRecord r) {
        if (r.spec().promptFile() == null) {
            return r.spec().prompt();
        }
        try {
            return Files.readString(r.spec().promptFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static void field(PrintWriter out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.printf("  %-14s%s%n", name, TerminalText.line(value));
        }
    }

    private static void indent(PrintWriter out, String text) {
        for (String line : text.stripTrailing().split("\\R", -1)) {
            out.println(line.isEmpty() ? "" : "  " + TerminalText.line(line));
        }
    }
}
