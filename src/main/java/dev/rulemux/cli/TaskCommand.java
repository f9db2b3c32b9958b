package dev.rulemux.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rulemux task}: only lists its subcommands. */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = "The task queue in the state database (.rulemux/state.db): add tasks, list them, show one, retry or cancel one.",
        subcommands = {TaskAddCommand.class, TaskListCommand.class, TaskShowCommand.class, TaskRetryCommand.class,
                TaskCancelCommand.class})
public final class TaskCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a task command: add, list, show, retry or cancel");
    }
}
