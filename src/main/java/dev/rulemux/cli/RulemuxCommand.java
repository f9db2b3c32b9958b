package dev.rulemux.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code rulemux} command: it only lists the subcommands. They are not in its annotation but in
 * {@link #SUBCOMMANDS}, added by {@code Main}: picocli reflects over every subcommand it is given before parsing
 * (~0.1 s of a cold start for all of them), so a command line that names one gets only that one.
 */
@Command(name = "rulemux", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runs a team of AI coding-agent CLIs in tmux and keeps them busy, by a policy written in DRL.")
public final class RulemuxCommand implements Runnable {

    /** Every subcommand, in the order {@code rulemux --help} lists them. */
    public static final List<Class<?>> SUBCOMMANDS = List.of(ValidateCommand.class, DecideCommand.class,
            StartCommand.class, RunCommand.class, StopCommand.class, HealthCommand.class, SendCommand.class,
            CaptureCommand.class, ReportCommand.class, TaskCommand.class, StatusCommand.class, EventsCommand.class,
            WatchCommand.class, ServeCommand.class, ExportCommand.class, SimAgentCommand.class, RecordScreensCommand.class,
            BenchCommand.class, DemoCommand.class, HookCommand.class);

    /** The subcommand {@code name} names (its name or an alias), or null. */
    public static Class<?> subcommandNamed(String name) {
        for (Class<?> type : SUBCOMMANDS) {
            Command c = type.getAnnotation(Command.class);
            if (c.name().equals(name) || List.of(c.aliases()).contains(name)) {
                return type;
            }
        }
        return null;
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command (see rulemux --help)");
    }
}
