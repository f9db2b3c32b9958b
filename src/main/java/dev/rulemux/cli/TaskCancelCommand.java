package dev.rulemux.cli;

import dev.rulemux.App;
import dev.rulemux.board.Journal;
import dev.rulemux.board.TaskRecord;
import dev.rulemux.domain.TaskState;
import dev.rulemux.store.StateStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rulemux task cancel ID}: a task that has not ended is dropped from the queue. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a task that has not ended (pending, in flight, verifying or blocked). A task cancelled while "
                + "an agent works on it is left to the policy (rules/lifecycle.drl interrupts the agent).",
                "Exit code 1 (nothing changed) for a completed, failed or cancelled task; rulemux task retry brings a "
                        + "cancelled one back."})
public final class TaskCancelCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept as the task's note).")
    String reason;

    @Spec
    CommandSpec spec;

    private final App app;

    public TaskCancelCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        StateAccess state = StateAccess.of(app, spec, config);
        String why = "cancelled " + (state.agent() == null ? "from the command line" : "by " + state.agent())
                + (reason == null || reason.isBlank() ? "" : ": " + reason.strip());
        try (StateStore store = state.open()) {
            TaskRecord before = state.task(store, id);
            if (before.state().finished()) {
                throw new CommandRefused(ExitCodes.FAILURE, id + " is " + before.state().name() + ": a finished task cannot be "
                        + "cancelled; nothing changed");
            }
            if (!store.move(id, TaskState.CANCELLED, null, why)) {
                TaskState now = store.record(id).map(TaskRecord::state).orElse(before.state());
                throw new CommandRefused(ExitCodes.FAILURE, id + " is " + now.name() + " and cannot be cancelled; nothing changed");
            }
            store.event(Journal.Kind.TRANSITION, state.agent(), id, id + " " + before.state().name() + " -> CANCELLED: " + why);
            state.statusChanged(store);
            spec.commandLine().getOut().printf("%s: %s -> CANCELLED%s%n", id, before.state().name(),
                    before.agent() == null ? "" : " (it was on " + before.agent() + ")");
        }
        return ExitCodes.OK;
    }
}
