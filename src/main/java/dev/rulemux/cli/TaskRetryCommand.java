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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rulemux task retry ID}: a failed, blocked or cancelled task goes back to the queue. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Put a failed, blocked or cancelled task back in the queue as pending, its attempts reset. "
                + "Exit code 1 (nothing changed) for a task in any other state.")
public final class TaskRetryCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Spec
    CommandSpec spec;

    private final App app;

    public TaskRetryCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        StateAccess state = StateAccess.of(app, spec, config);
        String by = state.agent() == null ? "from the command line" : "by " + state.agent();
        try (StateStore store = state.open()) {
            TaskRecord before = state.task(store, id);
            if (!store.retry(id, "retried " + by)) {
                TaskState now = store.record(id).map(TaskRecord::state).orElse(before.state());
                throw new CommandRefused(ExitCodes.FAILURE, id + " is " + now.name() + ": only a failed, blocked or cancelled "
                        + "task can be retried; nothing changed");
            }
            store.event(Journal.Kind.TRANSITION, state.agent(), id, id + " " + before.state().name() + " -> PENDING: retried " + by);
            state.statusChanged(store);
            TaskRecord after = store.record(id).orElseThrow();
            spec.commandLine().getOut().printf("%s: %s -> %s, attempts reset (0 of %d)%n", id, before.state().name(),
                    after.state().name(), after.spec().maxAttempts());
        }
        return ExitCodes.OK;
    }
}
